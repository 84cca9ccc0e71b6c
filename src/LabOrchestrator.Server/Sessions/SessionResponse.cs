using LabOrchestrator.Guides;
using LabOrchestrator.Sessions;

namespace LabOrchestrator.Server.Sessions;

/// <summary>A session as the API shows it: states, credentials (only to those who may see the session) and time left.</summary>
internal sealed record SessionResponse
{
    public required string Id { get; init; }
    public required string Lab { get; init; }
    public required string UserId { get; init; }
    public string? UserDisplayName { get; init; }
    public required string Engine { get; init; }
    public required SessionState State { get; init; }
    public string? FailureReason { get; init; }

    /// <summary>The engine's detail and the fix; only for instructors and admins.</summary>
    public string? FailureDetail { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? StartedAt { get; init; }
    public DateTimeOffset? StoppedAt { get; init; }
    public DateTimeOffset? ExpiresAt { get; init; }

    /// <summary>True while the session waits in its lab's warm pool (owned by the pool, never by a learner).</summary>
    public bool Pooled { get; init; }

    /// <summary>When the learner claimed it from a warm pool; null when it was started for them.</summary>
    public DateTimeOffset? ClaimedAt { get; init; }

    /// <summary>Whole seconds until the session expires; null when it has no time limit or does not run.</summary>
    public long? TimeLeftSeconds { get; init; }

    public required IReadOnlyList<SessionNodeResponse> Nodes { get; init; }

    /// <summary>Done and total steps of the lab's guide; null when the lab has no guide (and in events).</summary>
    public ProgressSummary? Progress { get; init; }

    /// <summary>Left out of lists; present on a single session and in its events.</summary>
    public IReadOnlyList<SessionCredential>? Credentials { get; init; }

    /// <summary>
    /// The session for one viewer: <paramref name="withDetails"/> (instructors and admins) adds the engine's failure detail
    /// and node messages, which can hold raw engine text that learners never see.
    /// </summary>
    public static SessionResponse From(Session session, TimeProvider time, bool withDetails, bool withCredentials = true) => new()
    {
        Id = session.Id,
        Lab = session.LabName,
        UserId = session.UserId,
        UserDisplayName = session.UserDisplayName,
        Engine = session.Engine,
        State = session.State,
        FailureReason = session.FailureReason,
        FailureDetail = withDetails ? session.FailureDetail : null,
        CreatedAt = session.CreatedAt,
        StartedAt = session.StartedAt,
        StoppedAt = session.StoppedAt,
        ExpiresAt = session.ExpiresAt,
        Pooled = session.Pooled,
        ClaimedAt = session.ClaimedAt,
        TimeLeftSeconds = session.ExpiresAt is { } expires && session.State is SessionState.Running
            ? Math.Max(0, (long)(expires - time.GetUtcNow()).TotalSeconds)
            : null,
        Nodes = session.Nodes.Select(n => new SessionNodeResponse(n.Node, n.State, withDetails ? n.Message : null)).ToList(),
        Credentials = withCredentials ? session.Credentials : null,
    };
}
