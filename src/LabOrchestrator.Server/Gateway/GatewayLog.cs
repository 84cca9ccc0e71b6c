namespace LabOrchestrator.Server.Gateway;

/// <summary>The gateway's log messages. None carries a URL or a token: gateway URLs hold access tokens in their query string.</summary>
internal static partial class GatewayLog
{
    [LoggerMessage(1, LogLevel.Warning, "Gateway:AccessTokenKeys is empty: access tokens are signed with a random key made at start, so they stop working when the server restarts and other replicas refuse them.")]
    public static partial void EphemeralAccessTokenKey(ILogger logger);

    [LoggerMessage(2, LogLevel.Information, "Terminal of node {Node} in session {SessionId} opened by {UserId} ({Mode})")]
    public static partial void TerminalOpened(ILogger logger, string node, string sessionId, string userId, string mode);

    [LoggerMessage(3, LogLevel.Information, "Terminal of node {Node} in session {SessionId} closed: {Reason}")]
    public static partial void TerminalClosed(ILogger logger, string node, string sessionId, string reason);

    [LoggerMessage(4, LogLevel.Warning, "Could not open the terminal of node {Node} in session {SessionId}")]
    public static partial void TerminalFailed(ILogger logger, Exception exception, string node, string sessionId);

    [LoggerMessage(5, LogLevel.Warning, "Checking whether session {SessionId} still runs failed")]
    public static partial void SessionCheckFailed(ILogger logger, Exception exception, string sessionId);

    [LoggerMessage(6, LogLevel.Information, "Closing {Count} gateway connection(s) of session {SessionId}: {Reason}")]
    public static partial void ClosingSession(ILogger logger, int count, string sessionId, string reason);

    [LoggerMessage(7, LogLevel.Information, "Refused an access token on the gateway (malformed, tampered, expired or signed by an unknown key)")]
    public static partial void AccessTokenRefused(ILogger logger);

    [LoggerMessage(8, LogLevel.Warning, "Forwarding to a web port of node {Node} in session {SessionId} failed")]
    public static partial void WebPortFailed(ILogger logger, Exception? exception, string node, string sessionId);

    [LoggerMessage(9, LogLevel.Warning, "Could not reach the desktop of node {Node} in session {SessionId}")]
    public static partial void DesktopFailed(ILogger logger, Exception exception, string node, string sessionId);

    [LoggerMessage(10, LogLevel.Information, "Desktop of node {Node} in session {SessionId} opened by {UserId} ({Mode})")]
    public static partial void DesktopOpened(ILogger logger, string node, string sessionId, string userId, string mode);

    [LoggerMessage(11, LogLevel.Information, "Desktop of node {Node} in session {SessionId} closed: {Reason}")]
    public static partial void DesktopClosed(ILogger logger, string node, string sessionId, string reason);

    [LoggerMessage(12, LogLevel.Information, "Closing {Count} gateway connection(s) opened by {UserId}: {Reason}")]
    public static partial void ClosingSignIn(ILogger logger, int count, string userId, string reason);

    [LoggerMessage(13, LogLevel.Warning, "Checking whether the sign-in of {UserId} still holds failed")]
    public static partial void SignInCheckFailed(ILogger logger, Exception exception, string userId);
}
