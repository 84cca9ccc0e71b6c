namespace LabOrchestrator.Guides;

/// <summary>Whether a step's check passed, and what its <c>FAIL:</c> lines tell the learner.</summary>
public sealed record GuideCheckResult(bool Passed, IReadOnlyList<string> Feedback, int ExitCode, bool TimedOut = false);
