using System.Net.WebSockets;

namespace LabOrchestrator.Server.Gateway;

/// <summary>Why the gateway ends a connection: the WebSocket close status and reason, and an optional JSON text frame sent before.</summary>
internal sealed record GatewayClose(WebSocketCloseStatus Status, string Reason, byte[]? Message = null)
{
    /// <summary>Application close code: the session stopped (or is no longer running).</summary>
    public const int SessionStoppedCode = 4000;

    /// <summary>Application close code: a watcher could not keep up with the terminal's output.</summary>
    public const int WatcherTooSlowCode = 4001;

    /// <summary>Application close code: the sign-in that opened the connection ended (logout, new password, disabled or deleted user, revoked token).</summary>
    public const int SignInEndedCode = 4002;

    /// <summary>Application close code: the session was paused; resume it to connect again.</summary>
    public const int SessionPausedCode = 4003;

    public static GatewayClose SessionPaused { get; } = new((WebSocketCloseStatus)SessionPausedCode, "The session is paused; resume it to connect again.");

    /// <summary>Application close code: the node is being reset to the lab's initial state; connect again once it runs.</summary>
    public const int NodeResetCode = 4004;

    public static GatewayClose NodeReset { get; } = new((WebSocketCloseStatus)NodeResetCode, "The node is being reset; reconnect once it runs again.");

    public static GatewayClose ShellExited { get; } = new(WebSocketCloseStatus.NormalClosure, "The shell exited.", """{"type":"exit"}"""u8.ToArray());

    public static GatewayClose ClientClosed { get; } = new(WebSocketCloseStatus.NormalClosure, "Closed by the client.");

    public static GatewayClose SessionStopped { get; } = new((WebSocketCloseStatus)SessionStoppedCode, "The session stopped.");

    public static GatewayClose SignInEnded { get; } = new((WebSocketCloseStatus)SignInEndedCode, "The sign-in that opened this connection ended; log in again.");

    public static GatewayClose ServerStopping { get; } = new(WebSocketCloseStatus.EndpointUnavailable, "The server is shutting down.");

    public static GatewayClose WatcherTooSlow { get; } = new((WebSocketCloseStatus)WatcherTooSlowCode, "The watcher could not keep up with the output.");

    public static GatewayClose MessageTooBig { get; } = new(WebSocketCloseStatus.MessageTooBig, "Control messages are limited to 1024 bytes.");

    public static GatewayClose DesktopClosed { get; } = new(WebSocketCloseStatus.NormalClosure, "The desktop closed the connection.");

    public static GatewayClose ProtocolError(string reason) => new(WebSocketCloseStatus.ProtocolError, reason.Length > 120 ? reason[..120] : reason);

    public static GatewayClose EngineFailed(string message) =>
        new(WebSocketCloseStatus.InternalServerError, "The terminal failed.", ControlMessages.Error(message));
}
