namespace LabOrchestrator.Labs;

public sealed record LimitsDefinition
{
    /// <summary>How long paused sessions are kept when the lab does not say.</summary>
    public static readonly TimeSpan DefaultPausedFor = TimeSpan.FromHours(1);

    /// <summary>How much one extension adds when the lab allows extensions but does not say.</summary>
    public static readonly TimeSpan DefaultExtendBy = TimeSpan.FromMinutes(15);

    public TimeSpan? Duration { get; init; }
    public TimeSpan? IdleTimeout { get; init; }

    /// <summary>How many times a learner may extend a session; 0 (the default) allows none.</summary>
    public int MaxExtensions { get; init; }

    /// <summary>What one extension adds to the session's end.</summary>
    public TimeSpan ExtendBy { get; init; } = DefaultExtendBy;

    /// <summary>Longest a session may stay paused before it is stopped.</summary>
    public TimeSpan PausedFor { get; init; } = DefaultPausedFor;
}
