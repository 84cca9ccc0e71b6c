namespace LabOrchestrator.Sessions;

/// <summary>The reasons the reconciler and interrupted operations give: a sentence for learners, and what happened for admins.</summary>
public static class RecoveryFailures
{
    public const string InterruptedReason =
        "The lab's start was interrupted (the server or labctl stopped while its machines were starting). Nothing of it is left running; start the lab again.";

    public const string VanishedReason =
        "The lab's machines stopped existing on the server, so this session cannot continue. Start the lab again; your instructor can see what happened.";

    /// <summary>The start's own caller cancelled it (Ctrl-C in labctl, the server shutting down).</summary>
    public static SessionFailure Cancelled() => new(
        InterruptedReason,
        "The start was cancelled by the process running it (labctl interrupted, or the server shut down); what it had made was removed.");

    /// <summary>The process running the start died: its heartbeat stopped.</summary>
    public static SessionFailure StartAbandoned(string? owner, DateTimeOffset? heartbeat) => new(
        InterruptedReason,
        $"The process starting the session ({owner ?? "unknown"}) stopped renewing its heartbeat (last {heartbeat?.ToString("O") ?? "never"}); "
        + "it was killed or lost the database. The reconciler removed what the start had made.");

    /// <summary>A running session's nodes are gone from the engine.</summary>
    public static SessionFailure Vanished(string engine, IReadOnlyCollection<string> missingNodes) => new(
        VanishedReason,
        $"The {engine} engine has no pod for node(s) {string.Join(", ", missingNodes)} of this running session (removed by hand, or lost when the host restarted). "
        + "The reconciler removed what was left of it.");
}
