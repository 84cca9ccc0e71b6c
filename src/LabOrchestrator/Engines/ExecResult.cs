namespace LabOrchestrator.Engines;

/// <summary>What a command run in a node did. <see cref="TimedOut"/> is set when it outlived its timeout.</summary>
public sealed record ExecResult(int ExitCode, string StandardOutput, string StandardError, bool TimedOut = false);
