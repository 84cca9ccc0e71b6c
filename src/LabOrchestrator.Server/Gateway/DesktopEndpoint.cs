using LabOrchestrator.Engines;
using LabOrchestrator.Server.Audit;
using LabOrchestrator.Sessions;
using static LabOrchestrator.Server.Gateway.GatewayProblem;

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
        AccessTokenService tokens,
        GatewayConnections connections,
        IAuditLog audit,
        Lifecycle.SessionActivity activity,
        ILogger<AccessTokenService> logger)
    {
        var (request, refusal) = await ConsoleRequest.ReadAsync(context, id, node, AccessKinds.Desktop, d => d is { Access.Desktop: true }, sessions, tokens, logger);
        if (request is null)
        {
            return refusal!;
        }

        var session = request.Session;
        var watch = request.Watch;
        var userId = request.UserId;
        Stream vnc;
        try
        {
            vnc = await sessions.OpenDesktopAsync(id, node, context.RequestAborted);
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
            using var connection = new GatewayConnection(session.Id, node, request.Owner, AccessKinds.Desktop);
            if (!watch)
            {
                connection.OnInput = () => activity.Record(session.Id);
            }

            connections.Add(connection);
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
}
