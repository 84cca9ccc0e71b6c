namespace LabOrchestrator.Hosting;

/// <summary>How starts and stops prove they are alive, and how often the reconciler looks (see docs/lifecycle-recovery.md).</summary>
public sealed record RecoveryOptions
{
    /// <summary>How often a running start or stop renews its heartbeat on the session.</summary>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>A start or stop whose heartbeat is older than this is taken as dead (its process was killed) and is repaired.</summary>
    public TimeSpan HeartbeatTimeout { get; set; } = TimeSpan.FromSeconds(45);

    /// <summary>How often the server reconciles sessions with the engine, after doing so at start-up.</summary>
    public TimeSpan ReconcileInterval { get; set; } = TimeSpan.FromMinutes(1);
}
