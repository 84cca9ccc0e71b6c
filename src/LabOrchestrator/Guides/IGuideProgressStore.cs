namespace LabOrchestrator.Guides;

/// <summary>Stores each session's progress through its guide, so it survives reloads and instructors can see it.</summary>
public interface IGuideProgressStore
{
    /// <summary>Progress of every step the session has touched, keyed by step id.</summary>
    Task<IReadOnlyDictionary<string, StepProgress>> GetAsync(string sessionId, CancellationToken cancellationToken = default);

    /// <summary>Ids of the done steps of each of <paramref name="sessionIds"/> (sessions without any are left out).</summary>
    Task<IReadOnlyDictionary<string, IReadOnlySet<string>>> GetDoneStepsAsync(IReadOnlyCollection<string> sessionIds, CancellationToken cancellationToken = default);

    /// <summary>Records a check run: counts the attempt, keeps its feedback, and marks the step done when it passed.</summary>
    Task<StepProgress> RecordCheckAsync(string sessionId, string stepId, GuideCheckResult result, CancellationToken cancellationToken = default);

    /// <summary>Ticks or unticks a step by hand.</summary>
    Task<StepProgress> SetManualAsync(string sessionId, string stepId, bool done, CancellationToken cancellationToken = default);
}
