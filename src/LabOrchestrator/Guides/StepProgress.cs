namespace LabOrchestrator.Guides;

/// <summary>How a step came to be done.</summary>
public enum StepCompletion
{
    /// <summary>Its check passed.</summary>
    Check,

    /// <summary>The learner ticked it by hand (steps without a check).</summary>
    Manual,
}

/// <summary>
/// Where a learner is with one step of a session's guide. A step done by a passing check stays done even if a later
/// check fails; only steps ticked by hand can be unticked.
/// </summary>
public sealed record StepProgress
{
    public required string StepId { get; init; }
    public bool Done { get; init; }
    public DateTimeOffset? CompletedAt { get; init; }
    public StepCompletion? Method { get; init; }
    public int CheckAttempts { get; init; }
    public DateTimeOffset? LastCheckedAt { get; init; }
    public bool? LastCheckPassed { get; init; }
    /// <summary>The <c>FAIL:</c> lines of the last check, empty when it passed.</summary>
    public IReadOnlyList<string> LastFeedback { get; init; } = [];

    /// <summary>A step nobody has touched yet.</summary>
    public static StepProgress NotStarted(string stepId) => new() { StepId = stepId };
}

/// <summary>How many of a set of steps are done.</summary>
public sealed record ProgressSummary(int Done, int Total)
{
    /// <summary>Counts the done steps among <paramref name="steps"/>; progress of steps the guide no longer has is ignored.</summary>
    public static ProgressSummary Of(IEnumerable<GuideStep> steps, IReadOnlyDictionary<string, StepProgress> progress) =>
        Of(steps, progress.Values.Where(p => p.Done).Select(p => p.StepId).ToHashSet(StringComparer.Ordinal));

    /// <summary>Counts the steps among <paramref name="steps"/> whose ids are in <paramref name="doneStepIds"/>.</summary>
    public static ProgressSummary Of(IEnumerable<GuideStep> steps, IReadOnlySet<string> doneStepIds)
    {
        var list = steps.ToList();
        return new ProgressSummary(list.Count(s => doneStepIds.Contains(s.Id)), list.Count);
    }
}
