using System.Threading.Channels;
using LabOrchestrator.Compilation;
using LabOrchestrator.Engines;
using LabOrchestrator.Hosting;
using LabOrchestrator.Labs;
using LabOrchestrator.Persistence;
using LabOrchestrator.Users;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LabOrchestrator.Sessions;

internal sealed partial class SessionService(
    IDbContextFactory<LabOrchestratorDbContext> contexts,
    ILabCatalog catalog,
    ILabEngines engines,
    TimeProvider time,
    IOptions<LabOrchestratorOptions> options,
    ILogger<SessionService> logger,
    OperationOwner owner,
    InstanceIdentity instance,
    StartSlots startSlots,
    Guides.GuideSnapshots guideSnapshots) : ISessionService, IAsyncDisposable, IDisposable
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, LabDefinition> snapshots = new(StringComparer.Ordinal);

    public async Task<Session> CreateAsync(string labName, UserRef user, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(user.Id);
        using var span = SessionTracing.Begin("session.create", "");
        var lab = await catalog.GetAsync(labName, cancellationToken) ?? throw new LabNotFoundException(labName);
        var guideHash = await guideSnapshots.CaptureAsync(lab, cancellationToken);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var userEntity = await db.Users.FirstOrDefaultAsync(u => u.Id == user.Id, cancellationToken);
        if (userEntity is null)
        {
            db.Users.Add(new UserEntity { Id = user.Id, DisplayName = user.DisplayName, CreatedAt = time.GetUtcNow() });
        }
        else if (user.DisplayName is not null)
        {
            userEntity.DisplayName = user.DisplayName;
        }

        var session = new SessionEntity
        {
            Id = SessionIds.New(),
            LabName = lab.Name,
            // User ids ignore case: a session started as "ADMIN" belongs to the user stored as "admin".
            UserId = userEntity?.Id ?? user.Id,
            Engine = engines.Default.Name,
            State = SessionState.Pending,
            CreatedAt = time.GetUtcNow(),
            // The creator owns the Pending session until it runs it (RunAsync), so a reconciler leaves it alone meanwhile.
            OperationOwner = owner.Id,
            OperationHeartbeat = time.GetUtcNow(),
            LabYaml = lab.SourceYaml,
            GuideHash = guideHash,
            Nodes = lab.Definition.Nodes.Select((n, i) => new SessionNodeEntity { SessionId = "", Name = n.Name, Ordinal = i, State = NodeState.Pending }).ToList(),
            Credentials = lab.Definition.Nodes
                .SelectMany(n => n.Credentials.Select(c => new SessionCredentialEntity
                {
                    SessionId = "",
                    Node = n.Name,
                    Name = c.Name,
                    Username = c.Username,
                    Password = c.GeneratePassword ? PasswordGenerator.New(options.Value.GeneratedPasswordLength) : c.Password ?? "",
                }))
                .ToList(),
        };
        db.Sessions.Add(session);
        await db.SaveChangesAsync(cancellationToken);
        LogCreated(session.Id, lab.Name, user.Id);
        return ToSession(session, userEntity?.DisplayName ?? user.DisplayName);
    }

    public async Task<Session> StartAsync(string labName, UserRef user, IProgress<NodeStatus>? progress = null, CancellationToken cancellationToken = default)
    {
        var session = await CreateAsync(labName, user, cancellationToken);
        return await RunAsync(session.Id, progress, cancellationToken);
    }

    public async Task<Session> RunAsync(string sessionId, IProgress<NodeStatus>? progress = null, CancellationToken cancellationToken = default)
    {
        CompiledPlan plan;
        LabDefinition lab;
        ILabEngine engine;
        using (SessionTracing.Begin("start.prepare", sessionId))
        await using (var db = await contexts.CreateDbContextAsync(cancellationToken))
        {
            var session = await LoadAsync(db, sessionId, cancellationToken);
            engine = engines.Get(session.Engine);
            SessionStateMachine.EnsureTransition(sessionId, session.State, SessionState.Starting);
            session.State = SessionState.Starting;
            Claim(session);
            await db.SaveChangesAsync(cancellationToken);
            lab = LabParser.Parse(new LabSource(session.LabYaml, $"{session.LabName}/{LabSource.DefaultFileName}", null)).GetLabOrThrow();
            lab = await WithSavedImagesAsync(db, session, lab, cancellationToken);
            var credentials = session.Credentials.Select(c => new ResolvedCredential(c.Node, c.Name, c.Username, c.Password)).ToList();
            var context = new SessionContext(session.Id, session.UserId, credentials) { Instance = await instance.GetAsync(cancellationToken) };
            using (SessionTracing.Begin("start.compile", sessionId))
            {
                plan = LabCompiler.Compile(lab, context);
            }
        }

        await using var heartbeat = Heartbeat(sessionId);

        var updates = Channel.CreateUnbounded<NodeStatus>(new UnboundedChannelOptions { SingleReader = true });
        var recorder = RecordNodeStatusAsync(sessionId, updates.Reader, progress, cancellationToken);
        SessionFailure? failure = null;
        try
        {
            var reporter = new ChannelProgress(updates.Writer);
            IDisposable slot;
            try
            {
                using var waitSpan = SessionTracing.Begin("start.slot_wait", sessionId);
                slot = await startSlots.EnterAsync(waiting => ReportWaiting(plan, reporter, waiting), cancellationToken);
            }
            catch (OperationCanceledException)
            {
                await AbandonStartAsync(sessionId);
                throw;
            }

            using var held = slot;
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(options.Value.StartTimeout);
            try
            {
                using var applySpan = SessionTracing.Begin("engine.apply", sessionId);
                await engine.ApplyAsync(plan, reporter, timeout.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                failure = SessionFailure.TimedOut(options.Value.StartTimeout);
            }
            catch (EngineException ex)
            {
                failure = SessionFailure.From(ex);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                await AbandonStartAsync(sessionId);
                throw;
            }
        }
        finally
        {
            updates.Writer.TryComplete();
            await recorder;
        }

        if (failure is not null)
        {
            LogStartFailed(sessionId, failure.Detail);
            // A failed start keeps nothing running; the session stays visible with its reason.
            await engine.DeleteAsync(sessionId, CancellationToken.None);
        }

        using var finishSpan = SessionTracing.Begin("start.finish", sessionId);
        await using var final = await contexts.CreateDbContextAsync(cancellationToken);
        var result = await LoadAsync(final, sessionId, cancellationToken);
        if (result.State == SessionState.Starting && result.OperationOwner == owner.Id)
        {
            var now = time.GetUtcNow();
            Release(result);
            result.State = failure is null ? SessionState.Running : SessionState.Failed;
            result.FailureReason = failure?.Reason;
            result.FailureDetail = failure?.Detail;
            result.StartedAt = failure is null ? now : null;
            // A pooled session's time starts when a learner claims it.
            result.ExpiresAt = failure is null && !result.Pooled && lab.Limits.Duration is { } d ? now + d : null;
            await final.SaveChangesAsync(cancellationToken);
            LogStateChanged(sessionId, result.State);
            if (failure is null)
            {
                // The learner's terminal opens a moment after Running: its shell starts now, to be ready by then.
                PrepareFirstTerminal(sessionId, lab, engine, waitForClaim: result.Pooled);
            }
        }

        return ToSession(result, result.User?.DisplayName);
    }

    private static void ReportWaiting(CompiledPlan plan, IProgress<NodeStatus> progress, int waiting)
    {
        var message = waiting == 1
            ? "Waiting for a free start slot: other labs are starting on this server."
            : $"Waiting for a free start slot: {waiting} labs are waiting to start on this server.";
        foreach (var node in plan.Nodes)
        {
            progress.Report(new NodeStatus(node.Name, NodeState.Pending, message));
        }
    }

    public async Task<Session> StopAsync(string sessionId, CancellationToken cancellationToken = default)
    {
        ILabEngine engine;
        await prepared.DiscardAsync(sessionId);
        using (SessionTracing.Begin("stop.mark", sessionId))
        await using (var db = await contexts.CreateDbContextAsync(cancellationToken))
        {
            var session = await LoadAsync(db, sessionId, cancellationToken);
            engine = engines.Get(session.Engine);
            if (session.State == SessionState.Stopped)
            {
                return ToSession(session, session.User?.DisplayName);
            }

            if (session.State != SessionState.Stopping)
            {
                SessionStateMachine.EnsureTransition(sessionId, session.State, SessionState.Stopping);
                session.State = SessionState.Stopping;
            }

            Claim(session);
            await db.SaveChangesAsync(cancellationToken);
        }

        await using (Heartbeat(sessionId))
        using (SessionTracing.Begin("engine.delete", sessionId))
        {
            await engine.DeleteAsync(sessionId, cancellationToken);
        }

        using var finishSpan = SessionTracing.Begin("stop.finish", sessionId);
        await using var final = await contexts.CreateDbContextAsync(cancellationToken);
        var stopped = await LoadAsync(final, sessionId, cancellationToken);
        stopped.State = SessionState.Stopped;
        stopped.StoppedAt = time.GetUtcNow();
        stopped.PausedAt = null;
        Release(stopped);
        if (stopped.FailureReason == RecoveryFailures.InterruptedReason)
        {
            // A stop that cancelled the start is what the user asked for, not a failure.
            stopped.FailureReason = null;
            stopped.FailureDetail = null;
        }

        foreach (var node in stopped.Nodes)
        {
            node.State = NodeState.Stopped;
            node.Message = null;
        }

        await final.SaveChangesAsync(cancellationToken);
        LogStateChanged(sessionId, SessionState.Stopped);
        return ToSession(stopped, stopped.User?.DisplayName);
    }

    public async Task<Session?> GetAsync(string sessionId, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var session = await Query(db).FirstOrDefaultAsync(s => s.Id == sessionId, cancellationToken);
        return session is null ? null : ToSession(session, session.User?.DisplayName);
    }

    public async Task<IReadOnlyList<Session>> ListAsync(SessionQuery query, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var sessions = Query(db);
        if (query.UserId is not null)
        {
            sessions = sessions.Where(s => s.UserId == query.UserId);
        }

        if (query.LabName is not null)
        {
            sessions = sessions.Where(s => s.LabName == query.LabName);
        }

        if (query.State is { } state)
        {
            sessions = sessions.Where(s => s.State == state);
        }

        if (query.ActiveOnly)
        {
            sessions = sessions.Where(s => s.State != SessionState.Stopped);
        }

        var list = await sessions.ToListAsync(cancellationToken);
        return list.OrderBy(s => s.CreatedAt).Select(s => ToSession(s, s.User?.DisplayName)).ToList();
    }

    public async Task<IReadOnlyList<string>> ListActiveOwnersAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.Sessions.AsNoTracking()
            .Where(s => s.State != SessionState.Stopped && s.State != SessionState.Failed)
            .Select(s => s.UserId)
            .ToListAsync(cancellationToken);
    }

    public async Task<ExecResult> ExecAsync(string sessionId, string node, IReadOnlyList<string> command, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var engine = await EnsureRunningNodeAsync(sessionId, node, cancellationToken);
        return await engine.ExecAsync(sessionId, node, command, timeout, cancellationToken);
    }

    public async Task<ITerminalStream> OpenTerminalAsync(string sessionId, string node, TerminalOptions options, CancellationToken cancellationToken = default)
    {
        var engine = await EnsureRunningNodeAsync(sessionId, node, cancellationToken);
        if (prepared.Take(sessionId, node, options) is { } opening)
        {
            ITerminalStream? terminal = null;
            try
            {
                terminal = await opening;
                // It was opened at the default size; this also fails when its shell has ended.
                await terminal.ResizeAsync(options.Columns, options.Rows, cancellationToken);
                return terminal;
            }
#pragma warning disable CA1031 // Whatever went wrong with the prepared terminal, a fresh one is opened below.
            catch (Exception e) when (e is not OperationCanceledException)
#pragma warning restore CA1031
            {
                LogPreparedTerminalUnusable(sessionId, node, e.Message);
                if (terminal is not null)
                {
                    await terminal.DisposeAsync();
                }
            }
        }

        return await engine.OpenTerminalAsync(sessionId, node, options, cancellationToken);
    }

    /// <summary>Closes the terminals prepared ahead and not taken yet (they would otherwise stay in learners' nodes).</summary>
    public ValueTask DisposeAsync() => prepared.DisposeAsync();

    /// <summary>A synchronous dispose starts closing them without waiting.</summary>
    public void Dispose() => _ = prepared.DisposeAsync().AsTask();

    public async Task<Stream> OpenDesktopAsync(string sessionId, string node, CancellationToken cancellationToken = default)
    {
        var engine = await EnsureRunningNodeAsync(sessionId, node, cancellationToken);
        return await engine.OpenDesktopAsync(sessionId, node, cancellationToken);
    }

    public async Task<Stream?> OpenPortStreamAsync(string sessionId, string node, int port, CancellationToken cancellationToken = default)
    {
        var engine = await EnsureRunningNodeAsync(sessionId, node, cancellationToken);
        return await engine.OpenPortStreamAsync(sessionId, node, port, cancellationToken);
    }

    /// <summary>The engine of a running session that has the node; clear errors otherwise.</summary>
    private async Task<ILabEngine> EnsureRunningNodeAsync(string sessionId, string node, CancellationToken cancellationToken)
    {
        var session = await GetAsync(sessionId, cancellationToken) ?? throw new SessionNotFoundException(sessionId);
        if (session.State == SessionState.Paused)
        {
            throw new InvalidOperationException($"Session '{sessionId}' is paused; resume it to reach its nodes.");
        }

        if (session.State != SessionState.Running)
        {
            throw new InvalidOperationException($"Session '{sessionId}' is {session.State}; only a running session's nodes can be reached.");
        }

        if (session.Nodes.All(n => n.Node != node))
        {
            throw new KeyNotFoundException(
                $"Session '{sessionId}' has no node '{node}'. Its nodes: {string.Join(", ", session.Nodes.Select(n => n.Node))}.");
        }

        return engines.Get(session.Engine);
    }

    public async Task<LabDefinition?> GetLabSnapshotAsync(string sessionId, CancellationToken cancellationToken = default)
    {
        if (snapshots.TryGetValue(sessionId, out var known))
        {
            return known;
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var row = await db.Sessions.AsNoTracking().Where(s => s.Id == sessionId).Select(s => new { s.LabName, s.LabYaml }).FirstOrDefaultAsync(cancellationToken);
        if (row is null)
        {
            return null;
        }

        var lab = LabParser.Parse(new LabSource(row.LabYaml, $"{row.LabName}/{LabSource.DefaultFileName}", null)).GetLabOrThrow();
        if (snapshots.Count > 10_000)
        {
            // A copy per session never changes; the cache only saves parsing, so dropping it all is harmless.
            snapshots.Clear();
        }

        snapshots[sessionId] = lab;
        return lab;
    }

    /// <summary>The engine a session was started on (it never changes).</summary>
    private async Task<ILabEngine> EngineOfAsync(string sessionId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var name = await db.Sessions.AsNoTracking().Where(s => s.Id == sessionId).Select(s => s.Engine).FirstOrDefaultAsync(cancellationToken)
            ?? throw new SessionNotFoundException(sessionId);
        return engines.Get(name);
    }

    /// <summary>
    /// Passes node changes on at once and stores them: what queued up while the last write ran goes in one write (the
    /// latest state of each node), so a class starting at once does not queue one SQLite write per node change.
    /// </summary>
    private async Task RecordNodeStatusAsync(string sessionId, ChannelReader<NodeStatus> updates, IProgress<NodeStatus>? progress, CancellationToken cancellationToken)
    {
        var pending = new Dictionary<string, NodeStatus>(StringComparer.Ordinal);
        while (await updates.WaitToReadAsync(CancellationToken.None))
        {
            while (updates.TryRead(out var status))
            {
                progress?.Report(status);
                pending[status.Node] = status;
            }

            if (cancellationToken.IsCancellationRequested)
            {
                pending.Clear();
                continue;
            }

            using var span = SessionTracing.Begin("start.node_status_write", sessionId);
            await using var db = await contexts.CreateDbContextAsync(CancellationToken.None);
            var session = await db.Sessions.FirstAsync(s => s.Id == sessionId, CancellationToken.None);
            foreach (var node in session.Nodes)
            {
                if (pending.TryGetValue(node.Name, out var latest))
                {
                    node.State = latest.State;
                    node.Message = latest.Message;
                }
            }

            pending.Clear();
            await db.SaveChangesAsync(CancellationToken.None);
        }
    }

    private static IQueryable<SessionEntity> Query(LabOrchestratorDbContext db) =>
        db.Sessions.Include(s => s.User);

    private static async Task<SessionEntity> LoadAsync(LabOrchestratorDbContext db, string sessionId, CancellationToken cancellationToken) =>
        await Query(db).FirstOrDefaultAsync(s => s.Id == sessionId, cancellationToken) ?? throw new SessionNotFoundException(sessionId);

    private static Session ToSession(SessionEntity entity, string? displayName) => new()
    {
        Id = entity.Id,
        LabName = entity.LabName,
        UserId = entity.UserId,
        UserDisplayName = displayName,
        Engine = entity.Engine,
        State = entity.State,
        FailureReason = entity.FailureReason,
        FailureDetail = entity.FailureDetail,
        CreatedAt = entity.CreatedAt,
        StartedAt = entity.StartedAt,
        StoppedAt = entity.StoppedAt,
        ExpiresAt = entity.ExpiresAt,
        StopReason = entity.StopReason,
        StoppedBy = entity.StoppedBy,
        PausedAt = entity.PausedAt,
        Extensions = entity.Extensions,
        LastActivityAt = entity.LastActivityAt,
        Limits = SessionLimitsCache.Get(entity.Id, entity.LabYaml),
        Pooled = entity.Pooled,
        ClaimedAt = entity.ClaimedAt,
        GuideHash = entity.GuideHash,
        Nodes = entity.Nodes.OrderBy(n => n.Ordinal).Select(n => new NodeStatus(n.Name, n.State, n.Message)).ToList(),
        Credentials = entity.Credentials.Select(c => new SessionCredential(c.Node, c.Name, c.Username, c.Password)).ToList(),
    };

    [LoggerMessage(Level = LogLevel.Information, Message = "Session {SessionId} of lab {Lab} created for user {UserId}")]
    private partial void LogCreated(string sessionId, string lab, string userId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Session {SessionId} is {State}")]
    private partial void LogStateChanged(string sessionId, SessionState state);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Session {SessionId} failed to start: {Reason}")]
    private partial void LogStartFailed(string sessionId, string reason);

    private sealed class ChannelProgress(ChannelWriter<NodeStatus> writer) : IProgress<NodeStatus>
    {
        public void Report(NodeStatus value) => writer.TryWrite(value);
    }
}
