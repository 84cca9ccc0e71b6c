using LabOrchestrator.Engines;

namespace LabOrchestrator.Sessions;

/// <summary>A running copy of a lab that belongs to one user.</summary>
public sealed record Session
{
    public required string Id { get; init; }
    public required string LabName { get; init; }
    public required string UserId { get; init; }
    public string? UserDisplayName { get; init; }
    public required string Engine { get; init; }
    public required SessionState State { get; init; }
    /// <summary>Why it failed, in a plain sentence anyone may read (learners included).</summary>
    public string? FailureReason { get; init; }

    /// <summary>The engine's detail and the fix: for instructors, admins and the log, never for learners.</summary>
    public string? FailureDetail { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? StartedAt { get; init; }
    public DateTimeOffset? StoppedAt { get; init; }
    public DateTimeOffset? ExpiresAt { get; init; }

    /// <summary>Why it stopped (null while it runs, and for sessions stopped before reasons were recorded).</summary>
    public StopReason? StopReason { get; init; }

    /// <summary>The user who stopped it; null when the server stopped it (time limit, idle, paused too long).</summary>
    public string? StoppedBy { get; init; }

    /// <summary>When it was paused, while it is Paused.</summary>
    public DateTimeOffset? PausedAt { get; init; }

    /// <summary>How many times the learner extended it.</summary>
    public int Extensions { get; init; }

    /// <summary>The last learner activity written to the database (flushed every few seconds, not on every keystroke).</summary>
    public DateTimeOffset? LastActivityAt { get; init; }

    /// <summary>The lab's limits as they were when the session started.</summary>
    public Labs.LimitsDefinition Limits { get; init; } = new();
    /// <summary>True while the session waits in a warm pool for a learner; its owner is then <see cref="Pools.PoolOwner"/>.</summary>
    public bool Pooled { get; init; }
    /// <summary>When a learner claimed the session from a warm pool; null when it was started for them.</summary>
    public DateTimeOffset? ClaimedAt { get; init; }
    /// <summary>The guide as it was when the session was created (see <see cref="Guides.GuideSnapshots"/>); null when the lab has none or it was not kept.</summary>
    public string? GuideHash { get; init; }
    public IReadOnlyList<NodeStatus> Nodes { get; init; } = [];
    public IReadOnlyList<SessionCredential> Credentials { get; init; } = [];
}
