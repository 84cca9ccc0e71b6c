using System.Threading.Channels;
using LabOrchestrator.Compilation;
using LabOrchestrator.Engines;
using LabOrchestrator.Labs;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace LabOrchestrator.Sessions;

/// <summary>Reset: a node, or every node, of a running session back to the lab's initial state.</summary>
internal sealed partial class SessionService
{
    public async Task<Session> ResetAsync(string sessionId, string? node, bool clearProgress, IProgress<NodeStatus>? progress = null, CancellationToken cancellationToken = default)
    {
        await prepared.DiscardAsync(sessionId);
        CompiledPlan plan;
        IReadOnlyList<string> nodes;
        ILabEngine engine;
        await using (var db = await contexts.CreateDbContextAsync(cancellationToken))
        {
            var session = await LoadAsync(db, sessionId, cancellationToken);
            engine = engines.Get(session.Engine);
            if (session.State != SessionState.Running)
            {
                throw new InvalidSessionStateException(sessionId, session.State, SessionState.Running);
            }

            if (node is not null && session.Nodes.All(n => n.Name != node))
            {
                throw new KeyNotFoundException(
                    $"Session '{sessionId}' has no node '{node}'. Its nodes: {string.Join(", ", session.Nodes.OrderBy(n => n.Ordinal).Select(n => n.Name))}.");
            }

            // The lab's initial state: the stored lab file and the session's credentials, never a saved session's images.
            var lab = LabParser.Parse(new LabSource(session.LabYaml, $"{session.LabName}/{LabSource.DefaultFileName}", null)).GetLabOrThrow();
            var credentials = session.Credentials.Select(c => new ResolvedCredential(c.Node, c.Name, c.Username, c.Password)).ToList();
            plan = LabCompiler.Compile(lab, new SessionContext(session.Id, session.UserId, credentials));
            nodes = node is null ? plan.Nodes.Select(n => n.Name).ToList() : [node];
            foreach (var entity in session.Nodes.Where(n => nodes.Contains(n.Name)))
            {
                entity.State = NodeState.Pending;
                entity.Message = null;
            }

            // The nodes are removed and made again: a reconciler must not take that for vanished nodes.
            await LeaseAsync(sessionId, SessionState.Running, "be reset", cancellationToken);
            if (clearProgress)
            {
                await db.SessionSteps.Where(s => s.SessionId == sessionId).ExecuteDeleteAsync(cancellationToken);
            }

            await db.SaveChangesAsync(cancellationToken);
        }

        LogResetting(sessionId, node ?? "(every node)", clearProgress);
        var updates = Channel.CreateUnbounded<NodeStatus>(new UnboundedChannelOptions { SingleReader = true });
        var recorder = RecordNodeStatusAsync(sessionId, updates.Reader, progress, cancellationToken);
        string? failure = null;
        var heartbeat = Heartbeat(sessionId);
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(options.Value.StartTimeout);
            var reporter = new ChannelProgress(updates.Writer);
            foreach (var name in nodes)
            {
                try
                {
                    await engine.ResetNodeAsync(plan, name, reporter, timeout.Token);
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    failure = $"Node '{name}' did not run again within {options.Value.StartTimeout.TotalSeconds:0} s.";
                    reporter.Report(new NodeStatus(name, NodeState.Failed, failure));
                    break;
                }
                catch (EngineException e)
                {
                    failure = e.Message;
                    reporter.Report(new NodeStatus(name, NodeState.Failed, $"Node '{name}' could not be reset."));
                    break;
                }
            }
        }
        finally
        {
            await heartbeat.DisposeAsync();
            updates.Writer.TryComplete();
            await recorder;
        }

        await using var final = await contexts.CreateDbContextAsync(CancellationToken.None);
        var result = await LoadAsync(final, sessionId, CancellationToken.None);
        if (result.State is SessionState.Stopping or SessionState.Stopped)
        {
            // A stop came while the reset ran and may have removed the session before the node was made again.
            await engine.DeleteAsync(sessionId, CancellationToken.None);
        }
        else if (failure is not null)
        {
            LogResetFailed(sessionId, failure);
            result.State = SessionState.Failed;
            result.FailureReason = "A node could not be reset; stop the session and start the lab again.";
            result.FailureDetail = failure;
            await final.SaveChangesAsync(CancellationToken.None);
        }

        if (result.OperationOwner == owner.Id)
        {
            Release(result);
            await final.SaveChangesAsync(CancellationToken.None);
        }

        return ToSession(result, result.User?.DisplayName);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Session {SessionId}: resetting {Node}, guide progress cleared: {ClearProgress}")]
    private partial void LogResetting(string sessionId, string node, bool clearProgress);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Session {SessionId} failed to reset: {Reason}")]
    private partial void LogResetFailed(string sessionId, string reason);
}
