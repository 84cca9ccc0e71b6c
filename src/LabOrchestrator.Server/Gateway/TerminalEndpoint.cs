using LabOrchestrator.Engines;
using LabOrchestrator.Server.Accounts;
using LabOrchestrator.Server.Audit;
using LabOrchestrator.Sessions;
using static LabOrchestrator.Server.Gateway.GatewayProblem;

namespace LabOrchestrator.Server.Gateway;

/// <summary><c>GET /gateway/sessions/{id}/nodes/{node}/terminal</c>: authorises, then bridges a WebSocket to the node's terminal.</summary>
internal static class TerminalEndpoint
{
    public static async Task<IResult> HandleAsync(
        HttpContext context,
        string id,
        string node,
        ISessionService sessions,
        AccessTokenService tokens,
        GatewayConnections connections,
        TerminalHub hub,
        IAuditLog audit,
        Lifecycle.SessionActivity activity,
        ILogger<AccessTokenService> logger)
    {
        var (request, refusal) = await ConsoleRequest.ReadAsync(context, id, node, AccessKinds.Terminal, d => d?.Access.Terminal != false, sessions, tokens, logger);
        if (request is null)
        {
            return refusal!;
        }

        if (!TryReadSize(context, out var columns, out var rows))
        {
            return Problem(400, "Bad request", "cols and rows are whole numbers between 1 and 1000.");
        }

        return request.Watch
            ? await WatchAsync(context, request.Session, node, request.Owner, connections, hub, audit, logger)
            : await OpenAsync(context, request.Session, node, request.Owner,
                new TerminalOptions { Columns = columns, Rows = rows, User = request.Definition?.Access.User }, sessions, connections, hub, audit, activity, logger);
    }

    private static async Task<IResult> OpenAsync(
        HttpContext context, Session session, string node, SignIn owner, TerminalOptions options,
        ISessionService sessions, GatewayConnections connections, TerminalHub hub, IAuditLog audit, Lifecycle.SessionActivity activity, ILogger logger)
    {
        var userId = owner.UserId;
        ITerminalStream terminal;
        try
        {
            terminal = await sessions.OpenTerminalAsync(session.Id, node, options, context.RequestAborted);
        }
        catch (InvalidOperationException e)
        {
            return Problem(409, "Conflict", e.Message);
        }
        catch (EngineException e)
        {
            GatewayLog.TerminalFailed(logger, e, node, session.Id);
            // The engine's words (image pulls, runtime errors) are for instructors and admins; learners get what to do.
            var problem = new Microsoft.AspNetCore.Mvc.ProblemDetails
            {
                Status = StatusCodes.Status502BadGateway,
                Title = "Bad gateway",
                Detail = $"The terminal of machine '{node}' cannot be opened: it may still be starting, or it has stopped. Wait a moment and try again; if it keeps failing, stop the session and start the lab again.",
            };
            if (context.User.IsInstructorOrAdmin())
            {
                problem.Extensions["engineDetail"] = e.Message;
            }

            return Results.Problem(problem);
        }

        await using (terminal)
        {
            using var socket = await context.WebSockets.AcceptWebSocketAsync();
            using var connection = new GatewayConnection(session.Id, node, owner);
            connection.OnInput = () => activity.Record(session.Id);
            var feed = new TerminalFeed(options.Columns, options.Rows);
            connections.Add(connection);
            hub.AddOwner(session.Id, node, feed);
            try
            {
                await audit.RecordAsync(context, AuditActions.ConsoleOpened, userId, session.Id, node, cancellationToken: CancellationToken.None);
                GatewayLog.TerminalOpened(logger, node, session.Id, userId, "interactive");
                await TerminalBridge.RunOwnerAsync(socket, terminal, feed, connection, async () =>
                {
                    // The shell ends both when the learner exits it and when the session's containers go away.
                    var now = await sessions.GetAsync(session.Id, CancellationToken.None);
                    return now?.State != SessionState.Running ? GatewayClose.SessionStopped
                        // A reset made elsewhere (labctl) removed the node under the shell.
                        : now.Nodes.Any(n => n.Node == node && n.State != NodeState.Running) ? GatewayClose.NodeReset
                        : GatewayClose.ShellExited;
                });
            }
            finally
            {
                hub.RemoveOwner(session.Id, node, feed);
                connections.Remove(connection);
                GatewayLog.TerminalClosed(logger, node, session.Id, connection.Close?.Reason ?? "");
            }
        }

        return Results.Empty;
    }

    private static async Task<IResult> WatchAsync(
        HttpContext context, Session session, string node, SignIn owner,
        GatewayConnections connections, TerminalHub hub, IAuditLog audit, ILogger logger)
    {
        var userId = owner.UserId;
        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        using var connection = new GatewayConnection(session.Id, node, owner);
        var watcher = new TerminalWatcher(connection);
        connections.Add(connection);
        hub.AddWatcher(session.Id, node, watcher);
        try
        {
            await audit.RecordAsync(context, AuditActions.ConsoleWatched, userId, session.Id, node, cancellationToken: CancellationToken.None);
            GatewayLog.TerminalOpened(logger, node, session.Id, userId, "watch");
            await TerminalBridge.RunWatcherAsync(socket, watcher, connection);
        }
        finally
        {
            hub.RemoveWatcher(session.Id, node, watcher);
            watcher.Complete();
            connections.Remove(connection);
            GatewayLog.TerminalClosed(logger, node, session.Id, connection.Close?.Reason ?? "");
        }

        return Results.Empty;
    }

    private static bool TryReadSize(HttpContext context, out ushort columns, out ushort rows)
    {
        columns = 80;
        rows = 24;
        var query = context.Request.Query;
        return (!query.TryGetValue("cols", out var c) || (ushort.TryParse(c, out columns) && columns is > 0 and <= 1000))
            && (!query.TryGetValue("rows", out var r) || (ushort.TryParse(r, out rows) && rows is > 0 and <= 1000));
    }
}
