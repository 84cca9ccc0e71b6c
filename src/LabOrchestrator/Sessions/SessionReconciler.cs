using LabOrchestrator.Engines;
using LabOrchestrator.Hosting;
using LabOrchestrator.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LabOrchestrator.Sessions;

/// <summary>
/// One reconciler pass over one engine (docs/lifecycle-recovery.md; <see cref="EngineReconcilers"/> runs one per engine): lists every object the engine holds for lab-orchestrator and every
/// session of this database that may hold some, then per session:
/// a fresh heartbeat (another live process is starting or stopping it) → left alone;
/// Pending/Starting with a dead owner → objects removed, Failed (an interrupted start is not resumed: see the doc);
/// Stopping with a dead owner → objects removed, Stopped;
/// Running (or any other state that holds nodes) with a node's pod gone → the rest removed, Failed;
/// Failed with objects left → removed.
/// Objects of this database's instance whose session is unknown or Stopped are removed. Objects labelled
/// <see cref="LabLabels.Persistent"/> and objects of other instances are never touched. Before acting on a session the
/// reconciler takes it over with a compare-and-set of owner and heartbeat, so two reconcilers (labctl and the server)
/// never act twice, and a process that comes back to life finds its session taken and leaves it.
/// </summary>
internal sealed partial class SessionReconciler(
    ILabEngine engine,
    IDbContextFactory<LabOrchestratorDbContext> contexts,
    InstanceIdentity instance,
    OperationOwner owner,
    TimeProvider time,
    IOptions<LabOrchestratorOptions> options,
    IEnumerable<IReconcileObserver> observers,
    ILogger<SessionReconciler> logger)
{
    private static readonly TimeSpan EngineCallTimeout = TimeSpan.FromMinutes(2);

    public async Task<ReconcileReport> ReconcileAsync(TimeSpan? staleAfter = null, CancellationToken cancellationToken = default)
    {
        var timeout = staleAfter ?? options.Value.Recovery.HeartbeatTimeout;
        var instanceId = await instance.GetAsync(cancellationToken);

        // The database first, the engine second: a session read as Running here had its nodes made before the listing
        // below, so a node missing from it is really gone (or is being reset, under a lease). The other order would fail
        // a session whose start finished between the two reads.
        List<SessionEntity> sessions;
        await using (var db = await contexts.CreateDbContextAsync(cancellationToken))
        {
            sessions = await db.Sessions.AsNoTracking()
                .Where(s => s.State != SessionState.Stopped)
                .ToListAsync(cancellationToken);
        }

        var objects = await engine.ListAsync(new Dictionary<string, string> { [LabLabels.ManagedBy] = LabLabels.ManagedByValue }, cancellationToken);
        var bySession = objects
            .Where(o => o.Labels.ContainsKey(LabLabels.Session) && !o.Labels.ContainsKey(LabLabels.Persistent))
            .GroupBy(o => o.Labels[LabLabels.Session], StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);

        var actions = new List<ReconcileAction>();
        var now = time.GetUtcNow();
        foreach (var session in sessions.Where(s => s.Engine == engine.Name))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var held = bySession.GetValueOrDefault(session.Id) ?? [];
            var action = await ReconcileSessionAsync(session, held, timeout, now, cancellationToken);
            if (action is not null)
            {
                Record(actions, action);
            }
        }

        // Objects of this instance that no session owning resources accounts for: unknown ids, and Stopped sessions.
        // A session created after the first read may already have objects: read the candidates again before removing.
        var known = sessions.Select(s => s.Id).ToHashSet(StringComparer.Ordinal);
        var candidates = bySession
            .Where(pair => !known.Contains(pair.Key) && pair.Value.Any(o => o.Labels.GetValueOrDefault(LabLabels.Instance) == instanceId))
            .Select(pair => pair.Key)
            .ToList();
        if (candidates.Count > 0)
        {
            await using var db = await contexts.CreateDbContextAsync(cancellationToken);
            var live = await db.Sessions.AsNoTracking()
                .Where(s => candidates.Contains(s.Id) && s.State != SessionState.Stopped)
                .Select(s => s.Id)
                .ToListAsync(cancellationToken);
            candidates.RemoveAll(live.Contains);
        }

        foreach (var sessionId in candidates)
        {
            cancellationToken.ThrowIfCancellationRequested();
            Record(actions, await DeleteAsync(sessionId, ReconcileActionKind.RemovedOrphans, Describe(bySession[sessionId]), cancellationToken));
        }

        var checkedHere = sessions.Count(s => s.Engine == engine.Name);
        LogPass(engine.Name, checkedHere, objects.Count, actions.Count(a => a.Kind != ReconcileActionKind.LeftLiveOperation));
        return new ReconcileReport(checkedHere, objects.Count, actions);
    }

    private async Task<ReconcileAction?> ReconcileSessionAsync(SessionEntity session, List<EngineResource> held, TimeSpan timeout, DateTimeOffset now, CancellationToken cancellationToken)
    {
        // A row without an owner was last touched at its creation (rows older than heartbeats, or a finished operation).
        var lastSign = session.OperationHeartbeat ?? session.CreatedAt;
        var live = session.OperationOwner is not null && now - lastSign < timeout;
        if (live)
        {
            return session.State is SessionState.Pending or SessionState.Starting or SessionState.Stopping || held.Count > 0
                ? new ReconcileAction(ReconcileActionKind.LeftLiveOperation, session.Id, session.OperationOwner)
                : null;
        }

        switch (session.State)
        {
            case SessionState.Pending or SessionState.Starting:
                if (session.OperationOwner is null && now - session.CreatedAt < timeout)
                {
                    // Just created by a process that has not claimed it yet.
                    return null;
                }

                return await TakeOverAsync(session, ReconcileActionKind.FailedInterruptedStart, held, cancellationToken, s =>
                {
                    var failure = RecoveryFailures.StartAbandoned(session.OperationOwner, session.OperationHeartbeat);
                    Finish(s, SessionState.Failed, failure);
                });
            case SessionState.Stopping:
                return await TakeOverAsync(session, ReconcileActionKind.FinishedStop, held, cancellationToken, s =>
                {
                    Finish(s, SessionState.Stopped, null);
                    s.StoppedAt = time.GetUtcNow();
                    // A stop whose process died before it recorded why was finished by the server.
                    s.StopReason ??= StopReason.Server;
                });
            case SessionState.Failed:
                return held.Count == 0 ? null : await DeleteAsync(session.Id, ReconcileActionKind.RemovedLeftovers, Describe(held), cancellationToken);
            case SessionState.Stopped:
                // Its objects are orphans; the sweep after this loop removes them.
                return null;
            default:
                // Running, and any state that keeps nodes (Paused): every node must still have its pod.
                var missing = MissingNodes(session, held);
                if (missing.Count == 0)
                {
                    // A pause, resume or reset that died with every node in place: the database's state is the truth.
                    return session.OperationOwner is null ? null : await RestoreAsync(session, cancellationToken);
                }

                return await TakeOverAsync(session, ReconcileActionKind.FailedVanished, held, cancellationToken,
                    s => Finish(s, SessionState.Failed, RecoveryFailures.Vanished(engine.Name, missing)));
        }
    }

    private static List<string> MissingNodes(SessionEntity session, List<EngineResource> held)
    {
        var withPods = held
            .Where(o => o.Kind == "pod" && o.Labels.ContainsKey(LabLabels.Node))
            .Select(o => o.Labels[LabLabels.Node])
            .ToHashSet(StringComparer.Ordinal);
        return session.Nodes.OrderBy(n => n.Ordinal).Select(n => n.Name).Where(n => !withPods.Contains(n)).ToList();
    }

    /// <summary>Claims the session (compare-and-set on owner and heartbeat), removes its objects, then writes its end state.</summary>
    private async Task<ReconcileAction?> TakeOverAsync(
        SessionEntity seen, ReconcileActionKind kind, List<EngineResource> held, CancellationToken cancellationToken, Action<SessionEntity> finish)
    {
        if (!await ClaimAsync(seen, cancellationToken))
        {
            // It moved on since it was read (its owner beat again, or another reconciler took it): nothing to do now.
            return null;
        }

        await using (OperationHeartbeat.Start(contexts, seen.Id, owner.Id, options.Value.Recovery.HeartbeatInterval, time, logger))
        {
            try
            {
                await DeleteObjectsAsync(seen.Id, cancellationToken);
            }
            catch (EngineException e)
            {
                LogActionFailed(seen.Id, kind, e.Message);
                return new ReconcileAction(ReconcileActionKind.Error, seen.Id, e.Message);
            }
        }

        await using var final = await contexts.CreateDbContextAsync(cancellationToken);
        var session = await final.Sessions.FirstAsync(s => s.Id == seen.Id, cancellationToken);
        if (session.OperationOwner != owner.Id)
        {
            return null;
        }

        finish(session);
        session.OperationOwner = null;
        session.OperationHeartbeat = null;
        await final.SaveChangesAsync(cancellationToken);
        var detail = $"{seen.State} → {session.State}" + (held.Count > 0 ? $"; removed {Describe(held)}" : "");
        LogSessionRepaired(seen.Id, kind, detail);
        return new ReconcileAction(kind, seen.Id, detail);
    }

    /// <summary>Takes the session over, brings its nodes to the recorded state (all running, or all paused), and keeps it.</summary>
    private async Task<ReconcileAction?> RestoreAsync(SessionEntity seen, CancellationToken cancellationToken)
    {
        if (!await ClaimAsync(seen, cancellationToken))
        {
            return null;
        }

        await using (OperationHeartbeat.Start(contexts, seen.Id, owner.Id, options.Value.Recovery.HeartbeatInterval, time, logger))
        {
            try
            {
                using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                limit.CancelAfter(EngineCallTimeout);
                if (seen.State == SessionState.Paused)
                {
                    await engine.PauseAsync(seen.Id, limit.Token);
                }
                else
                {
                    await engine.ResumeAsync(seen.Id, limit.Token);
                }
            }
            catch (EngineException e)
            {
                LogActionFailed(seen.Id, ReconcileActionKind.RestoredInterrupted, e.Message);
                return new ReconcileAction(ReconcileActionKind.Error, seen.Id, e.Message);
            }
        }

        await using var final = await contexts.CreateDbContextAsync(cancellationToken);
        var session = await final.Sessions.FirstAsync(s => s.Id == seen.Id, cancellationToken);
        if (session.OperationOwner != owner.Id)
        {
            return null;
        }

        session.OperationOwner = null;
        session.OperationHeartbeat = null;
        foreach (var node in session.Nodes)
        {
            // An interrupted reset left the node it was making Pending; its pod is there again.
            node.State = NodeState.Running;
            node.Message = null;
        }

        await final.SaveChangesAsync(cancellationToken);
        var detail = $"{seen.State}: interrupted operation of {seen.OperationOwner} finished; nodes {(seen.State == SessionState.Paused ? "paused" : "running")}";
        LogSessionRepaired(seen.Id, ReconcileActionKind.RestoredInterrupted, detail);
        return new ReconcileAction(ReconcileActionKind.RestoredInterrupted, seen.Id, detail);
    }

    /// <summary>Compare-and-set on what was read (state, owner, heartbeat): true if this reconciler now owns the session.</summary>
    private async Task<bool> ClaimAsync(SessionEntity seen, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await OperationLease.TryTakeAsync(db, seen.Id, seen.State, seen.OperationOwner, seen.OperationHeartbeat, owner.Id, time.GetUtcNow(), cancellationToken);
    }

    private async Task<ReconcileAction> DeleteAsync(string sessionId, ReconcileActionKind kind, string what, CancellationToken cancellationToken)
    {
        try
        {
            await DeleteObjectsAsync(sessionId, cancellationToken);
            LogSessionRepaired(sessionId, kind, what);
            return new ReconcileAction(kind, sessionId, what);
        }
        catch (EngineException e)
        {
            LogActionFailed(sessionId, kind, e.Message);
            return new ReconcileAction(ReconcileActionKind.Error, sessionId, e.Message);
        }
    }

    private async Task DeleteObjectsAsync(string sessionId, CancellationToken cancellationToken)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(EngineCallTimeout);
        await engine.DeleteAsync(sessionId, limit.Token);
    }

    private static void Finish(SessionEntity session, SessionState state, SessionFailure? failure)
    {
        session.State = state;
        if (failure is not null)
        {
            session.FailureReason = failure.Reason;
            session.FailureDetail = failure.Detail;
        }

        foreach (var node in session.Nodes)
        {
            node.State = NodeState.Stopped;
            node.Message = null;
        }
    }

    private void Record(List<ReconcileAction> actions, ReconcileAction action)
    {
        actions.Add(action);
        foreach (var observer in observers)
        {
            try
            {
                observer.Observe(action);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                LogObserverFailed(observer.GetType().Name, e.Message);
            }
        }
    }

    private static string Describe(List<EngineResource> held) =>
        held.Count == 0 ? "nothing" : string.Join(", ", held.GroupBy(o => o.Kind).Select(g => $"{g.Count()} {g.Key}(s)"));

    [LoggerMessage(Level = LogLevel.Information, Message = "Reconciled {Sessions} sessions of engine {Engine} with {Objects} engine objects: {Actions} actions")]
    private partial void LogPass(string engine, int sessions, int objects, int actions);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reconciler: session {SessionId} {Kind}: {Detail}")]
    private partial void LogSessionRepaired(string sessionId, ReconcileActionKind kind, string detail);

    [LoggerMessage(Level = LogLevel.Error, Message = "Reconciler could not finish {Kind} of session {SessionId}: {Reason}; the next pass tries again")]
    private partial void LogActionFailed(string sessionId, ReconcileActionKind kind, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reconcile observer {Observer} failed: {Reason}")]
    private partial void LogObserverFailed(string observer, string reason);
}
