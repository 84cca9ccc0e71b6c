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

    /// <summary>Whole seconds until the session expires; null when it has no time limit or does not run. Frozen while paused.</summary>
    public long? TimeLeftSeconds { get; init; }

    /// <summary>Why it stopped (Learner, Instructor, Admin, TimeLimit, Idle, PausedTooLong); null while it lives.</summary>
    public StopReason? StopReason { get; init; }

    /// <summary>Who stopped it; null when the server did (time limit, idle, paused too long).</summary>
    public string? StoppedBy { get; init; }

    /// <summary>Why it stopped, as a sentence for the learner.</summary>
    public string? StopMessage { get; init; }

    /// <summary>When it was paused, while Paused.</summary>
    public DateTimeOffset? PausedAt { get; init; }

    /// <summary>When a paused session will be stopped (<c>limits.pausedFor</c> after the pause), while Paused.</summary>
    public DateTimeOffset? PausedUntil { get; init; }

    /// <summary>Extensions used so far and allowed (<c>limits.maxExtensions</c>), and what each adds in seconds.</summary>
    public int Extensions { get; init; }

    public int MaxExtensions { get; init; }

    public long? ExtendBySeconds { get; init; }

    /// <summary>The lab's idle timeout in seconds; null when it sets none.</summary>
    public long? IdleTimeoutSeconds { get; init; }

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
        TimeLeftSeconds = session.ExpiresAt is { } expires && session.State is SessionState.Running or SessionState.Paused
            ? Math.Max(0, (long)(expires - (session.PausedAt ?? time.GetUtcNow())).TotalSeconds)
            : null,
        StopReason = session.StopReason,
        StoppedBy = session.StoppedBy,
        StopMessage = session.State is SessionState.Stopped or SessionState.Stopping ? Lifecycle.StopMessages.For(session) : null,
        PausedAt = session.PausedAt,
        PausedUntil = session.PausedAt is { } paused ? paused + session.Limits.PausedFor : null,
        Extensions = session.Extensions,
        MaxExtensions = session.Limits.MaxExtensions,
        ExtendBySeconds = session.Limits.MaxExtensions > 0 ? (long)session.Limits.ExtendBy.TotalSeconds : null,
        IdleTimeoutSeconds = session.Limits.IdleTimeout is { } idle ? (long)idle.TotalSeconds : null,
        Nodes = session.Nodes.Select(n => SessionNodeResponse.From(n, withDetails)).ToList(),
        Credentials = withCredentials ? session.Credentials : null,
    };
}
