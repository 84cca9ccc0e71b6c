using LabOrchestrator.Sessions;

namespace LabOrchestrator.Persistence;

internal sealed class SessionEntity
{
    public required string Id { get; set; }
    public required string LabName { get; set; }
    public required string UserId { get; set; }
    public UserEntity? User { get; set; }
    public required string Engine { get; set; }
    public SessionState State { get; set; }
    public string? FailureReason { get; set; }
    public string? FailureDetail { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? StartedAt { get; set; }
    public DateTimeOffset? StoppedAt { get; set; }
    public DateTimeOffset? ExpiresAt { get; set; }
    public StopReason? StopReason { get; set; }
    public string? StoppedBy { get; set; }
    public DateTimeOffset? PausedAt { get; set; }
    public int Extensions { get; set; }
    public DateTimeOffset? LastActivityAt { get; set; }
    /// <summary>True while the session waits in its lab's warm pool for a learner (owned by <c>PoolOwner</c>).</summary>
    public bool Pooled { get; set; }
    /// <summary>When a learner claimed it from the pool; null for sessions started for their user.</summary>
    public DateTimeOffset? ClaimedAt { get; set; }
    /// <summary>The lab file as it was when the session started, so a later lab update cannot change a running session.</summary>
    public required string LabYaml { get; set; }
    /// <summary>The guide as it was when the session was created (<see cref="GuideSnapshotEntity"/>); null when the lab has none, or for sessions older than snapshots.</summary>
    public string? GuideHash { get; set; }
    /// <summary>Which process is starting or stopping the session right now (<see cref="Sessions.OperationOwner"/>); null when none.</summary>
    public string? OperationOwner { get; set; }
    /// <summary>When <see cref="OperationOwner"/> last said it is alive; an old heartbeat means its process died.</summary>
    public DateTimeOffset? OperationHeartbeat { get; set; }
    /// <summary>The saved session this one continues; its nodes run the saved images instead of the lab's.</summary>
    public string? SavedSessionId { get; set; }
    public List<SessionNodeEntity> Nodes { get; set; } = [];
    public List<SessionCredentialEntity> Credentials { get; set; } = [];
}
