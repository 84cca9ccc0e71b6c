using LabOrchestrator.Engines;
using LabOrchestrator.Labs;
using LabOrchestrator.Server.Accounts;
using LabOrchestrator.Server.Audit;
using LabOrchestrator.Server.Sessions;
using LabOrchestrator.Sessions;

namespace LabOrchestrator.Server.Gateway;

/// <summary>
/// <c>GET /gateway/sessions/{id}/nodes/{node}/desktop</c>: authorises like terminals, then bridges a WebSocket to the
/// node's VNC server (what websockify does for noVNC). Instructors and admins watch: their input never reaches it.
/// </summary>
internal static class DesktopEndpoint
{
    public static async Task<IResult> HandleAsync(
        HttpContext context,
        string id,
        string node,
        ISessionService sessions,
        ILabCatalog labs,
        AccessTokenService tokens,
        GatewayConnections connections,
        IAuditLog audit,
        ILogger<AccessTokenService> logger)
    {
        var ct = context.RequestAborted;
        var mode = context.Request.Query["mode"].ToString();
        if (mode is not ("" or "watch" or "interactive"))
        {
            return Problem(400, "Bad request", "mode is 'interactive' (the default) or 'watch'.");
        }

        var (access, refusal) = TerminalEndpoint.Authorize(context, id, node, AccessKinds.Desktop, tokens, logger);
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
        if (access!.Token is null && !SessionAccess.IsOwner(context.User, session))
        {
            if (!context.User.IsInstructorOrAdmin())
            {
                return Problem(403, "Forbidden", "This session belongs to another user.");
            }

            watch = true;
        }

        if (session.Nodes.All(n => n.Node != node))
        {
            return Problem(404, "Not found", $"Session '{id}' has no node '{node}'.");
        }

        var definition = (await labs.GetAsync(session.LabName, ct))?.Definition.Nodes.FirstOrDefault(n => n.Name == node);
        if (definition is not { Access.Desktop: true })
        {
            return Problem(403, "Forbidden", $"The lab does not offer a desktop on node '{node}'.");
        }

        if (session.State != SessionState.Running)
        {
            return Problem(409, "Conflict", $"Session '{id}' is {session.State}; only a running session's desktops can be opened.");
        }

        if (!context.WebSockets.IsWebSocketRequest)
        {
            return Problem(400, "Bad request", "This URL opens a WebSocket; connect with a WebSocket client such as noVNC.");
        }

        Stream vnc;
        try
        {
            vnc = await sessions.OpenDesktopAsync(id, node, ct);
        }
        catch (Exception e) when (e is EngineException or InvalidOperationException)
        {
            GatewayLog.DesktopFailed(logger, e, node, session.Id);
            return Problem(502, "Bad gateway", $"The desktop of node '{node}' cannot be reached: is it still starting?");
        }

        await using (vnc)
        {
            // noVNC asks for the "binary" subprotocol; other clients ask for none.
            var subProtocol = context.WebSockets.WebSocketRequestedProtocols.Contains("binary") ? "binary" : null;
            using var socket = await context.WebSockets.AcceptWebSocketAsync(subProtocol);
            using var connection = new GatewayConnection(session.Id, node);
            connections.Add(connection);
            var userId = access.Token?.UserId ?? context.User.GetUserId();
            try
            {
                await audit.RecordAsync(context, watch ? AuditActions.ConsoleWatched : AuditActions.ConsoleOpened, userId, session.Id, $"{node} (desktop)", cancellationToken: CancellationToken.None);
                GatewayLog.DesktopOpened(logger, node, session.Id, userId, watch ? "watch" : "interactive");
                await DesktopBridge.RunAsync(socket, vnc, connection, watch ? new RfbInputFilter() : null);
            }
            finally
            {
                connections.Remove(connection);
                GatewayLog.DesktopClosed(logger, node, session.Id, connection.Close?.Reason ?? "");
            }
        }

        return Results.Empty;
    }

    private static IResult Problem(int status, string title, string detail) => Results.Problem(statusCode: status, title: title, detail: detail);
}
