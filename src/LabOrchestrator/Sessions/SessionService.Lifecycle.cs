using LabOrchestrator.Engines;
using LabOrchestrator.Labs;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace LabOrchestrator.Sessions;

/// <summary>Pause, resume, extend, stops with a reason, and learner activity.</summary>
internal sealed partial class SessionService
{
    public async Task<Session> PauseAsync(string sessionId, CancellationToken cancellationToken = default)
    {
        ILabEngine engine;
        await prepared.DiscardAsync(sessionId);
        await using (var db = await contexts.CreateDbContextAsync(cancellationToken))
        {
            var session = await LoadAsync(db, sessionId, cancellationToken);
            if (session.State == SessionState.Paused)
            {
                return ToSession(session, session.User?.DisplayName);
            }

            if (session.State != SessionState.Running)
            {
                throw new SessionLifecycleException(sessionId, "not-running", "Session not running",
                    $"Session '{sessionId}' is {session.State}; only a running session can be paused.");
            }

            engine = engines.Get(session.Engine);
            var lab = LabParser.Parse(new LabSource(session.LabYaml, $"{session.LabName}/{LabSource.DefaultFileName}", null)).GetLabOrThrow();
            if (engine.PauseRefusal(lab) is { } refusal)
            {
                throw new SessionLifecycleException(sessionId, "cannot-pause", "Session cannot be paused", refusal);
            }
        }

        // The engine first: the session is Paused only once every node is frozen, so a failed pause leaves it Running.
        // Under the lease: if this process dies half-way, the reconciler resumes the nodes of the Running session.
        await LeaseAsync(sessionId, SessionState.Running, "be paused", cancellationToken);
        try
        {
            await using (Heartbeat(sessionId))
            {
                await engine.PauseAsync(sessionId, cancellationToken);
            }

            await using var final = await contexts.CreateDbContextAsync(cancellationToken);
            var paused = await LoadAsync(final, sessionId, cancellationToken);
            if (paused.State == SessionState.Running && paused.OperationOwner == owner.Id)
            {
                paused.State = SessionState.Paused;
                paused.PausedAt = time.GetUtcNow();
                Release(paused);
                await final.SaveChangesAsync(cancellationToken);
                LogStateChanged(sessionId, SessionState.Paused);
            }

            return ToSession(paused, paused.User?.DisplayName);
        }
        finally
        {
            await ReleaseLeaseAsync(sessionId);
        }
    }

    public async Task<Session> ResumeAsync(string sessionId, CancellationToken cancellationToken = default)
    {
        ILabEngine engine;
        await using (var db = await contexts.CreateDbContextAsync(cancellationToken))
        {
            var session = await LoadAsync(db, sessionId, cancellationToken);
            if (session.State == SessionState.Running)
            {
                return ToSession(session, session.User?.DisplayName);
            }

            if (session.State != SessionState.Paused)
            {
                throw new SessionLifecycleException(sessionId, "not-paused", "Session not paused",
                    $"Session '{sessionId}' is {session.State}; only a paused session can be resumed.");
            }

            engine = engines.Get(session.Engine);
        }

        // Under the lease: if this process dies half-way, the reconciler pauses the nodes of the Paused session again.
        await LeaseAsync(sessionId, SessionState.Paused, "be resumed", cancellationToken);
        try
        {
            await using (Heartbeat(sessionId))
            {
                await engine.ResumeAsync(sessionId, cancellationToken);
            }

            return await FinishResumeAsync(sessionId, cancellationToken);
        }
        finally
        {
            await ReleaseLeaseAsync(sessionId);
        }
    }

    private async Task<Session> FinishResumeAsync(string sessionId, CancellationToken cancellationToken)
    {
        await using var final = await contexts.CreateDbContextAsync(cancellationToken);
        var resumed = await LoadAsync(final, sessionId, cancellationToken);
        if (resumed.State == SessionState.Paused && resumed.OperationOwner == owner.Id)
        {
            Release(resumed);
            var now = time.GetUtcNow();
            // The time limit's clock stops while paused: the end moves on by the time spent paused.
            if (resumed is { ExpiresAt: { } expires, PausedAt: { } pausedAt } && now > pausedAt)
            {
                resumed.ExpiresAt = expires + (now - pausedAt);
            }

            resumed.State = SessionState.Running;
            resumed.PausedAt = null;
            // Resuming is the learner's doing: the idle clock starts again from here.
            resumed.LastActivityAt = now;
            await final.SaveChangesAsync(cancellationToken);
            LogStateChanged(sessionId, SessionState.Running);
        }

        return ToSession(resumed, resumed.User?.DisplayName);
    }

    public async Task<Session> ExtendAsync(string sessionId, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var session = await LoadAsync(db, sessionId, cancellationToken);
        if (session.State is not (SessionState.Running or SessionState.Paused))
        {
            throw new SessionLifecycleException(sessionId, "not-running", "Session not running",
                $"Session '{sessionId}' is {session.State}; only a running or paused session can be extended.");
        }

        var limits = SessionLimitsCache.Get(session.Id, session.LabYaml);
        if (session.ExpiresAt is not { } expires)
        {
            throw new SessionLifecycleException(sessionId, "no-time-limit", "No time limit",
                $"Session '{sessionId}' has no time limit, so there is nothing to extend.");
        }

        if (session.Extensions >= limits.MaxExtensions)
        {
            throw new SessionLifecycleException(sessionId, "no-extensions-left", "No extensions left",
                limits.MaxExtensions == 0
                    ? $"The lab '{session.LabName}' allows no extensions (limits.maxExtensions). Save your work before the session ends."
                    : $"Session '{sessionId}' was already extended {session.Extensions} of {limits.MaxExtensions} times (limits.maxExtensions). Save your work before the session ends.");
        }

        session.Extensions++;
        session.ExpiresAt = expires + limits.ExtendBy;
        await db.SaveChangesAsync(cancellationToken);
        LogExtended(sessionId, session.Extensions, limits.MaxExtensions, session.ExpiresAt.Value);
        return ToSession(session, session.User?.DisplayName);
    }

    public async Task<Session> StopAsync(string sessionId, SessionStop stop, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stop);
        await using (var db = await contexts.CreateDbContextAsync(cancellationToken))
        {
            var session = await LoadAsync(db, sessionId, cancellationToken);
            // The first stop's reason is kept: a second stop of a stopping session does not rewrite why it ended.
            if (session.State is not SessionState.Stopped && session.StopReason is null)
            {
                session.StopReason = stop.Reason;
                session.StoppedBy = stop.By;
                await db.SaveChangesAsync(cancellationToken);
            }
        }

        return await StopAsync(sessionId, cancellationToken);
    }

    public async Task RecordActivityAsync(IReadOnlyDictionary<string, DateTimeOffset> activity, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(activity);
        if (activity.Count == 0)
        {
            return;
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var ids = activity.Keys.ToList();
        var sessions = await db.Sessions.Where(s => ids.Contains(s.Id)).ToListAsync(cancellationToken);
        foreach (var session in sessions)
        {
            var at = activity[session.Id];
            if (session.LastActivityAt is null || session.LastActivityAt < at)
            {
                session.LastActivityAt = at;
            }
        }

        await db.SaveChangesAsync(cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Session {SessionId} extended ({Count} of {Max}); it now ends at {ExpiresAt}")]
    private partial void LogExtended(string sessionId, int count, int max, DateTimeOffset expiresAt);
}
