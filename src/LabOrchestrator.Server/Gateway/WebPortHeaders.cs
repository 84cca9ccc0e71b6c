namespace LabOrchestrator.Server.Gateway;

/// <summary>Which headers cross the web-port gateway, in either direction (docs/security-webports.md explains each).</summary>
internal static class WebPortHeaders
{
    /// <summary>Hop-by-hop headers (RFC 9110 7.6.1): they describe one connection, not the message.</summary>
    public static readonly string[] HopByHop =
    [
        "Connection", "Keep-Alive", "Proxy-Connection", "Proxy-Authenticate", "Proxy-Authentication-Info", "Proxy-Authorization",
        "TE", "Trailer", "Transfer-Encoding", "Upgrade",
    ];

    /// <summary>
    /// Response headers a node's application may not send to the browser: they would act beyond its own pages
    /// (service workers for wider scopes, wiping or pinning the host's state, other protocols or hosts for the origin,
    /// reports sent elsewhere, instructions to a fronting proxy to serve its internal files).
    /// </summary>
    public static readonly string[] DroppedResponse =
    [
        "Service-Worker-Allowed", "Clear-Site-Data", "Alt-Svc", "Strict-Transport-Security", "Public-Key-Pins",
        "Public-Key-Pins-Report-Only", "Expect-CT", "NEL", "Report-To", "Reporting-Endpoints", "Set-Cookie2",
        "X-Accel-Redirect", "X-Accel-Buffering", "X-Accel-Charset", "X-Accel-Expires", "X-Accel-Limit-Rate", "X-Sendfile",
        "X-LiteSpeed-Location",
    ];

    /// <summary>Request headers that are Lab Orchestrator's or describe the client's path to it; the gateway sets its own.</summary>
    public static readonly string[] DroppedRequest = ["X-CSRF-Token", "Forwarded", "X-Real-IP", "X-Original-For", "X-Original-Host", "X-Original-Proto"];

    /// <summary>Every <c>X-Forwarded-*</c> header a client sent is dropped, whatever its suffix.</summary>
    public const string ForwardedPrefix = "X-Forwarded-";
}
