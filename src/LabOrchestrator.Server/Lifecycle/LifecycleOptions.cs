namespace LabOrchestrator.Server.Lifecycle;

/// <summary>Settings of the session reaper and the activity tracker, bound from the "Lifecycle" configuration section.</summary>
public sealed record LifecycleOptions
{
    public const string SectionName = "Lifecycle";

    /// <summary>How often the reaper looks at every active session (time limits, idle, paused too long).</summary>
    public TimeSpan ReaperPeriod { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How long before a session's end (time limit, paused too long) the learner is warned.</summary>
    public TimeSpan WarnBefore { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How long before an idle session is stopped the learner is asked "Still there?" (at most half the lab's idle timeout).</summary>
    public TimeSpan IdleWarnBefore { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Learner activity is kept in memory and written to the database at most this often per session.</summary>
    public TimeSpan ActivityFlushInterval { get; set; } = TimeSpan.FromSeconds(30);
}
