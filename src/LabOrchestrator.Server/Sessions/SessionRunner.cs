using System.Collections.Concurrent;
using LabOrchestrator.Engines;
using LabOrchestrator.Sessions;

namespace LabOrchestrator.Server.Sessions;

/// <summary>
/// Runs session starts in the background, outside the request that asked for them, and reports every change to
/// <see cref="SessionEventHub"/>. A start can be cancelled (a stop arrived) and waited for, so that the stop removes
/// everything only once the start has let go. On shutdown, running starts are cancelled and awaited: each removes what it
/// made and leaves its session Failed (a true state); one cut short by the host's shutdown timeout is finished by the
/// reconciler when the server starts again.
/// </summary>
internal sealed partial class SessionRunner(ISessionService sessions, SessionEventHub hub, Observability.LabMetrics metrics, TimeProvider time, ILogger<SessionRunner> logger)
    : IHostedService, IDisposable
{
    private readonly CancellationTokenSource shutdown = new();
    private readonly ConcurrentDictionary<string, RunningStart> running = new(StringComparer.Ordinal);

    /// <summary>Starts running a Pending session; returns at once.</summary>
    public void Start(Session session)
    {
        var cancel = CancellationTokenSource.CreateLinkedTokenSource(shutdown.Token);
        var start = new RunningStart(cancel);
        running[session.Id] = start;
        start.Task = Task.Run(() => RunAsync(session, start), CancellationToken.None);
    }

    /// <summary>Cancels the session's start, if one is under way, and waits until it has ended.</summary>
    public async Task CancelAsync(string sessionId, CancellationToken cancellationToken)
    {
        if (running.TryGetValue(sessionId, out var start))
        {
            try
            {
                await start.Cancel.CancelAsync();
            }
            catch (ObjectDisposedException)
            {
                // The start ended meanwhile.
            }

            await start.Task.WaitAsync(cancellationToken);
        }
    }

    /// <summary>The session's start under way, if any (completes when it has ended, however); a completed task otherwise.</summary>
    public Task WhenEnded(string sessionId) => running.TryGetValue(sessionId, out var start) ? start.Task : Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await shutdown.CancelAsync();
        await Task.WhenAll(running.Values.Select(r => r.Task)).WaitAsync(cancellationToken);
    }

    public void Dispose() => shutdown.Dispose();

    private async Task RunAsync(Session session, RunningStart start)
    {
        var cancellationToken = start.Cancel.Token;
        var began = time.GetTimestamp();
        using var scope = Observability.SessionLogScope.Begin(logger, session.Id);
        try
        {
            var progress = new NodeProgress(hub, session with { State = SessionState.Starting });
            hub.Publish(progress.Current);
            var result = await sessions.RunAsync(session.Id, progress, cancellationToken);
            metrics.RecordStart(result.LabName, warm: false, result.State, time.GetElapsedTime(began));
            hub.Publish(result);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // A stop cancelled the start (the stop publishes what follows), or the server is shutting down: then the
            // start removed what it made and failed the session (SessionService), which its followers see now.
            if (shutdown.IsCancellationRequested && await sessions.GetAsync(session.Id, CancellationToken.None) is { } current)
            {
                hub.Publish(current);
            }
        }
        catch (InvalidSessionStateException e)
        {
            // Stopped before it could start.
            LogNotStarted(session.Id, e.Message);
        }
        catch (Exception e)
        {
            LogRunFailed(e, session.Id);
            if (await sessions.GetAsync(session.Id, CancellationToken.None) is { } current)
            {
                hub.Publish(current);
            }
        }
        finally
        {
            running.TryRemove(new KeyValuePair<string, RunningStart>(session.Id, start));
            start.Cancel.Dispose();
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Session {SessionId} did not start: {Reason}")]
    private partial void LogNotStarted(string sessionId, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Starting session {SessionId} failed unexpectedly")]
    private partial void LogRunFailed(Exception exception, string sessionId);

    private sealed class RunningStart(CancellationTokenSource cancel)
    {
        public CancellationTokenSource Cancel { get; } = cancel;
        public Task Task { get; set; } = Task.CompletedTask;
    }

    /// <summary>Keeps the latest picture of a starting session and publishes it on every node change.</summary>
    private sealed class NodeProgress(SessionEventHub hub, Session initial) : IProgress<NodeStatus>
    {
        private readonly Lock gate = new();

        public Session Current { get; private set; } = initial;

        public void Report(NodeStatus value)
        {
            Session next;
            lock (gate)
            {
                var nodes = Current.Nodes.Select(n => n.Node == value.Node ? value : n).ToList();
                Current = next = Current with { Nodes = nodes };
            }

            hub.Publish(next);
        }
    }
}
