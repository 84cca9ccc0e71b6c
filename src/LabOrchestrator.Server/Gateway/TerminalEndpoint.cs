using LabOrchestrator.Engines;
using LabOrchestrator.Labs;
using LabOrchestrator.Server.Accounts;
using LabOrchestrator.Server.Audit;
using LabOrchestrator.Server.Sessions;
using LabOrchestrator.Sessions;

namespace LabOrchestrator.Server.Gateway;

/// <summary><c>GET /gateway/sessions/{id}/nodes/{node}/terminal</c>: authorises, then bridges a WebSocket to the node's terminal.</summary>
internal static class TerminalEndpoint
{
    public static async Task<IResult> HandleAsync(
        HttpContext context,
        string id,
        string node,
        ISessionService sessions,
        ILabCatalog labs,
        AccessTokenService tokens,
        GatewayConnections connections,
        TerminalHub hub,
        IAuditLog audit,
        ILogger<AccessTokenService> logger)
    {
        var ct = context.RequestAborted;
        var mode = context.Request.Query["mode"].ToString();
        if (mode is not ("" or "watch" or "interactive"))
        {
            return Problem(400, "Bad request", "mode is 'interactive' (the default) or 'watch'.");
        }

        var (access, refusal) = Authorize(context, id, node, AccessKinds.Terminal, tokens, logger);
        if (refusal is not null)
        {
            return refusal;
        }

        var session = await sessions.GetAsync(id, ct);
        if (session is null)
        {
            return Problem(404, "Not found", $"There is no session '{id}'.");
        }

        var watch = mode == "watch" || access!.Watch;
        if (access!.Token is null)
        {
            if (!SessionAccess.IsOwner(context.User, session))
            {
                if (!context.User.IsInstructorOrAdmin())
                {
                    return Problem(403, "Forbidden", "This session belongs to another user.");
                }

                // Instructors and admins only ever watch a learner's terminal.
                watch = true;
            }
        }

        if (session.Nodes.All(n => n.Node != node))
        {
            return Problem(404, "Not found", $"Session '{id}' has no node '{node}'.");
        }

        var definition = (await labs.GetAsync(session.LabName, ct))?.Definition.Nodes.FirstOrDefault(n => n.Name == node);
        if (definition is { Access.Terminal: false })
        {
            return Problem(403, "Forbidden", $"The lab does not offer a terminal on node '{node}'.");
        }

        if (session.State != SessionState.Running)
        {
            return Problem(409, "Conflict", $"Session '{id}' is {session.State}; only a running session's terminals can be opened.");
        }

        if (!context.WebSockets.IsWebSocketRequest)
        {
            return Problem(400, "Bad request", "This URL opens a WebSocket; connect with a WebSocket client.");
        }

        if (!TryReadSize(context, out var columns, out var rows))
        {
            return Problem(400, "Bad request", "cols and rows are whole numbers between 1 and 1000.");
        }

        var userId = access.Token?.UserId ?? context.User.GetUserId();
        return watch
            ? await WatchAsync(context, session, node, userId, connections, hub, audit, logger)
            : await OpenAsync(context, session, node, userId, new TerminalOptions { Columns = columns, Rows = rows, User = definition?.Access.User }, sessions, connections, hub, audit, logger);
    }

    private static async Task<IResult> OpenAsync(
        HttpContext context, Session session, string node, string userId, TerminalOptions options,
        ISessionService sessions, GatewayConnections connections, TerminalHub hub, IAuditLog audit, ILogger logger)
    {
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
            return Problem(502, "Bad gateway", e.Message);
        }

        await using (terminal)
        {
            using var socket = await context.WebSockets.AcceptWebSocketAsync();
            using var connection = new GatewayConnection(session.Id, node);
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
                    return now?.State == SessionState.Running ? GatewayClose.ShellExited : GatewayClose.SessionStopped;
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
        HttpContext context, Session session, string node, string userId,
        GatewayConnections connections, TerminalHub hub, IAuditLog audit, ILogger logger)
    {
        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        using var connection = new GatewayConnection(session.Id, node);
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

    /// <summary>
    /// Authorises a console WebSocket (<paramref name="kind"/>: terminal or desktop). An access token in the query wins
    /// over the cookie or bearer header; without either the answer is 401.
    /// </summary>
    internal static (Access? Access, IResult? Refusal) Authorize(HttpContext context, string id, string node, string kind, AccessTokenService tokens, ILogger logger)
    {
        if (context.Request.Query.TryGetValue("access_token", out var value))
        {
            var grant = tokens.Validate(value.ToString());
            if (grant is null)
            {
                GatewayLog.AccessTokenRefused(logger);
                return (null, Problem(401, "Unauthorized", "The access token is malformed, tampered with, expired or signed by an unknown key."));
            }

            return grant.AllowsSession(id) && grant.AllowsNode(node) && grant.AllowsKind(kind)
                ? (new Access(grant, grant.Watch), null)
                : (null, Problem(403, "Forbidden", $"The access token does not open this node's {kind}."));
        }

        if (context.User.Identity?.IsAuthenticated != true)
        {
            return (null, Problem(401, "Unauthorized", "Log in, send an API token as 'Authorization: Bearer', or add an access token as ?access_token=."));
        }

        // Browsers send cookies with cross-site WebSocket handshakes; only this site's pages may use the login cookie here.
        var viaCookie = !context.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase);
        var origin = context.Request.Headers.Origin.ToString();
        if (viaCookie && origin.Length > 0 && !(Uri.TryCreate(origin, UriKind.Absolute, out var o) && string.Equals(o.Authority, context.Request.Host.Value, StringComparison.OrdinalIgnoreCase)))
        {
            return (null, Problem(403, "Forbidden", "Cross-site pages must use an access token, not the login cookie."));
        }

        return (new Access(null, false), null);
    }

    private static bool TryReadSize(HttpContext context, out ushort columns, out ushort rows)
    {
        columns = 80;
        rows = 24;
        var query = context.Request.Query;
        return (!query.TryGetValue("cols", out var c) || (ushort.TryParse(c, out columns) && columns is > 0 and <= 1000))
            && (!query.TryGetValue("rows", out var r) || (ushort.TryParse(r, out rows) && rows is > 0 and <= 1000));
    }

    private static IResult Problem(int status, string title, string detail) => Results.Problem(statusCode: status, title: title, detail: detail);

    /// <summary>How a console connection was authorised: by an access token (with its watch flag) or as the signed-in user.</summary>
    internal sealed record Access(AccessGrant? Token, bool Watch);
}
