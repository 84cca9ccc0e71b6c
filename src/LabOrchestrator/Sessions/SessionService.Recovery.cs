using LabOrchestrator.Engines;
using LabOrchestrator.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace LabOrchestrator.Sessions;

/// <summary>Who is running a session's start or stop, and what a start leaves when its caller cancels it.</summary>
internal sealed partial class SessionService
{
    /// <summary>How long an interrupted start may take to remove what it made before the reconciler is left to finish.</summary>
    private static readonly TimeSpan AbandonTimeout = TimeSpan.FromSeconds(30);

    private void Claim(SessionEntity session)
    {
        session.OperationOwner = owner.Id;
        session.OperationHeartbeat = time.GetUtcNow();
    }

    private static void Release(SessionEntity session)
    {
        session.OperationOwner = null;
        session.OperationHeartbeat = null;
    }

    /// <summary>
    /// Takes the operation lease of a session in <paramref name="state"/> that no live operation holds (an owner whose
    /// heartbeat went stale counts as none), so that a reconciler leaves it alone while its nodes are made again.
    /// </summary>
    private async Task LeaseAsync(string sessionId, SessionState state, string what, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var seen = await db.Sessions.AsNoTracking()
            .Where(s => s.Id == sessionId)
            .Select(s => new { s.State, s.OperationOwner, s.OperationHeartbeat })
            .FirstOrDefaultAsync(cancellationToken);
        var free = seen is not null && seen.State == state
            && (seen.OperationOwner is null || seen.OperationHeartbeat is not { } beat || now - beat >= options.Value.Recovery.HeartbeatTimeout);
        // Compare-and-set on what was read: of two operations (or an operation and a reconciler) one wins.
        if (!free || !await OperationLease.TryTakeAsync(db, sessionId, state, seen!.OperationOwner, seen.OperationHeartbeat, owner.Id, now, cancellationToken))
        {
            throw new SessionLifecycleException(sessionId, "busy", "Session busy",
                $"Session '{sessionId}' cannot {what} now: it is no longer {state}, or another operation (a stop, a reset or a repair) is changing it. Try again in a moment.");
        }
    }

    /// <summary>Gives the lease back if this process still holds it (a stop may have taken the session over meanwhile).</summary>
    private async Task ReleaseLeaseAsync(string sessionId)
    {
        await using var db = await contexts.CreateDbContextAsync(CancellationToken.None);
        await db.Sessions
            .Where(s => s.Id == sessionId && s.OperationOwner == owner.Id)
            .ExecuteUpdateAsync(set => set.SetProperty(s => s.OperationOwner, (string?)null).SetProperty(s => s.OperationHeartbeat, (DateTimeOffset?)null), CancellationToken.None);
    }

    private OperationHeartbeat Heartbeat(string sessionId) =>
        OperationHeartbeat.Start(contexts, sessionId, owner.Id, options.Value.Recovery.HeartbeatInterval, time, logger);

    /// <summary>
    /// The caller cancelled the start (labctl's Ctrl-C, the server shutting down): remove what it made and fail the
    /// session, so it is left in a true state. If that cannot finish in time the heartbeat goes stale and the reconciler
    /// finishes it; a stop that cancelled the start takes the session over and ends it Stopped.
    /// </summary>
    private async Task AbandonStartAsync(string sessionId)
    {
        using var limit = new CancellationTokenSource(AbandonTimeout, time);
        try
        {
            ILabEngine engine;
            await using (var db = await contexts.CreateDbContextAsync(limit.Token))
            {
                var session = await db.Sessions.FirstAsync(s => s.Id == sessionId, limit.Token);
                if (session.State != SessionState.Starting || session.OperationOwner != owner.Id)
                {
                    return;
                }

                engine = engines.Get(session.Engine);
            }

            await engine.DeleteAsync(sessionId, limit.Token);
            await using var final = await contexts.CreateDbContextAsync(limit.Token);
            var stopped = await final.Sessions.FirstAsync(s => s.Id == sessionId, limit.Token);
            if (stopped.State != SessionState.Starting || stopped.OperationOwner != owner.Id)
            {
                return;
            }

            var failure = RecoveryFailures.Cancelled();
            stopped.State = SessionState.Failed;
            stopped.FailureReason = failure.Reason;
            stopped.FailureDetail = failure.Detail;
            Release(stopped);
            foreach (var node in stopped.Nodes)
            {
                node.State = NodeState.Stopped;
                node.Message = null;
            }

            await final.SaveChangesAsync(limit.Token);
            LogStartAbandoned(sessionId);
        }
        catch (Exception e) when (e is OperationCanceledException or EngineException or DbUpdateException)
        {
            LogAbandonFailed(sessionId, e.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Session {SessionId}: its start was cancelled; what it made is removed and it is Failed")]
    private partial void LogStartAbandoned(string sessionId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Session {SessionId}: could not clean up its cancelled start ({Reason}); the reconciler will")]
    private partial void LogAbandonFailed(string sessionId, string reason);
}
