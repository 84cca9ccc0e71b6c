using LabOrchestrator.Engines;
using LabOrchestrator.Server.Accounts;
using LabOrchestrator.Server.Audit;
using LabOrchestrator.Server.Gateway;
using LabOrchestrator.Server.Labs;
using LabOrchestrator.Server.Sessions;
using LabOrchestrator.Sessions;

namespace LabOrchestrator.Server.Persist;

/// <summary>
/// <c>POST /api/sessions/{id}/reset</c>: puts a node (or every node) back to the lab's initial state. Open consoles of the
/// reset nodes close first with a message saying so; the nodes' progress (Creating, Starting, Running) goes to the
/// session's event stream; the answer is the session once the nodes run again.
/// </summary>
internal static class ResetHandler
{
    public const string Keep = "keep";
    public const string Clear = "clear";

    public static async Task<IResult> ResetAsync(
        string id, HttpContext context, ISessionService sessions, GatewayConnections connections, SessionEventHub hub, ResetGate gate, IAuditLog audit, TimeProvider time,
        CancellationToken cancellationToken)
    {
        var session = await SessionHandlers.GetVisibleAsync(id, context.User, sessions, cancellationToken);
        var request = await SessionJsonBody.ReadAsync<ResetSessionRequest>(context.Request, cancellationToken);
        var node = string.IsNullOrWhiteSpace(request.Node) ? null : request.Node.Trim();
        if (node is not null && session.Nodes.All(n => n.Node != node))
        {
            throw new RequestProblemException(StatusCodes.Status400BadRequest, "Invalid request",
                $"Session '{id}' has no node '{node}'. Name one of {string.Join(", ", session.Nodes.Select(n => n.Node))}, or leave 'node' out to reset every node.", "node");
        }

        var progress = request.Progress?.Trim().ToLowerInvariant() ?? Keep;
        if (progress is not (Keep or Clear))
        {
            throw new RequestProblemException(StatusCodes.Status400BadRequest, "Invalid request",
                $"'{request.Progress}' is not a choice for the guide's progress; use \"{Keep}\" or \"{Clear}\".", "progress");
        }

        if (session.State != SessionState.Running)
        {
            throw new RequestProblemException(StatusCodes.Status409Conflict, "Conflict", $"Session '{id}' is {session.State}; only a running session can be reset.");
        }

        if (!gate.TryEnter(id))
        {
            throw new RequestProblemException(StatusCodes.Status409Conflict, "Conflict", $"Session '{id}' is being reset already; wait until its nodes run again.");
        }

        try
        {
            var nodes = node is null ? session.Nodes.Select(n => n.Node).ToList() : [node];
            foreach (var name in nodes)
            {
                connections.CloseNode(id, name, GatewayClose.NodeReset);
            }

            var publisher = new SessionProgressPublisher(hub, session with
            {
                Nodes = session.Nodes.Select(n => nodes.Contains(n.Node) ? new NodeStatus(n.Node, NodeState.Pending) : n).ToList(),
            });
            hub.Publish(publisher.Current);
            // Not the request's token: a client that goes away must not leave a node half made.
            var result = await sessions.ResetAsync(id, node, progress == Clear, publisher, CancellationToken.None);
            hub.Publish(result);
            await audit.RecordAsync(context, PersistAuditActions.SessionReset, sessionId: id, target: node ?? "*", details: $"progress: {progress}", cancellationToken: CancellationToken.None);
            return TypedResults.Ok(SessionResponse.From(result, time, context.User.IsInstructorOrAdmin()));
        }
        catch (InvalidSessionStateException e)
        {
            throw new RequestProblemException(StatusCodes.Status409Conflict, "Conflict", e.Message);
        }
        finally
        {
            gate.Exit(id);
        }
    }
}
