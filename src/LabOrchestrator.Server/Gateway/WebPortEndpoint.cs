using System.Globalization;
using LabOrchestrator.Engines;
using LabOrchestrator.Labs;
using LabOrchestrator.Server.Hosting;
using LabOrchestrator.Server.Sessions;
using LabOrchestrator.Sessions;
using Yarp.ReverseProxy.Forwarder;
using static LabOrchestrator.Server.Gateway.GatewayProblem;

namespace LabOrchestrator.Server.Gateway;

/// <summary>
/// <c>/gateway/sessions/{id}/nodes/{node}/ports/{port}/…</c>: authorises like consoles, then forwards the request
/// (HTTP or WebSocket) to the node's web port with YARP, on the web-ports origin only.
/// </summary>
internal static class WebPortEndpoint
{
    public const string Pattern = "/gateway/sessions/{id}/nodes/{node}/ports/{port:int}/{**rest}";

    /// <summary>The cookie an access token is exchanged for, scoped to one port's path on the web-ports origin.</summary>
    public const string CookieName = "labo.port";

    public static string PathOf(string sessionId, string node, int port) =>
        $"/gateway/sessions/{Uri.EscapeDataString(sessionId)}/nodes/{Uri.EscapeDataString(node)}/ports/{port.ToString(CultureInfo.InvariantCulture)}/";

    public static async Task HandleAsync(
        HttpContext context, string id, string node, int port, string? rest,
        Listeners listeners, ISessionService sessions, ILabCatalog labs, AccessTokenService tokens, SessionLifetimes lifetimes,
        WebPortRoutes routes, IHttpForwarder forwarder, WebPortClient client, ILogger<AccessTokenService> logger)
    {
        var ct = context.RequestAborted;
        if (!Listeners.IsWebPortsRequest(context))
        {
            // The API's origin never shows node pages; send the browser to the web-ports origin.
            var target = listeners.WebPortsBaseUrl(context.Request) + context.Request.Path + context.Request.QueryString;
            await Results.Redirect(target, permanent: false, preserveMethod: true).ExecuteAsync(context);
            return;
        }

        var prefix = PathOf(id, node, port);
        if (string.IsNullOrEmpty(rest) && !(context.Request.Path.Value ?? "").EndsWith('/'))
        {
            // Without the trailing slash, relative links of the node's pages would resolve one level too high.
            await Results.Redirect(context.Request.PathBase + prefix + context.Request.QueryString, permanent: false, preserveMethod: true).ExecuteAsync(context);
            return;
        }

        var grant = Authorize(context, id, node, tokens, logger, out var refusal);
        if (refusal is not null)
        {
            await refusal.ExecuteAsync(context);
            return;
        }

        var route = routes.TryGet(id, node, port) ?? await ResolveAsync(context, id, node, port, sessions, labs, routes, logger);
        if (route is null)
        {
            return;
        }

        if (grant is null && !SessionAccess.CanSee(context.User, route.Session))
        {
            await Problem(403, "Forbidden", "This session belongs to another user.").ExecuteAsync(context);
            return;
        }

        if (grant is not null && context.Request.Query.ContainsKey("access_token"))
        {
            // Trade the token for a cookie scoped to this port, and drop it from the address bar (and from Referer headers).
            context.Response.Cookies.Append(CookieName, context.Request.Query["access_token"].ToString(), new CookieOptions
            {
                Path = context.Request.PathBase + prefix,
                HttpOnly = true,
                Secure = context.Request.IsHttps,
                SameSite = SameSiteMode.Lax,
                Expires = grant.ExpiresAt,
            });
            if (HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method))
            {
                var query = QueryString.Create(context.Request.Query.Where(q => q.Key != "access_token"));
                context.Response.Redirect(context.Request.PathBase + context.Request.Path + query);
                return;
            }
        }

        // Stopping the session ends its requests and WebSockets at once.
        using var stopping = lifetimes.GetStoppingToken(id).Register(context.Abort);
        var destination = $"http://{route.Endpoint}";
        var error = await forwarder.SendAsync(context, destination, client.Invoker, ForwarderRequestConfig.Empty, new WebPortTransformer(context.Request.PathBase + prefix, rest));
        if (error != ForwarderError.None && !context.Response.HasStarted)
        {
            var failure = context.Features.Get<IForwarderErrorFeature>()?.Exception;
            GatewayLog.WebPortFailed(logger, failure, node, id);
            routes.Forget(id, node, port);
            context.Response.Clear();
            await Problem(502, "Bad gateway", $"Node '{node}' did not answer on port {port}: is the web application running?").ExecuteAsync(context);
        }
    }

    /// <summary>
    /// Reads the session, checks that the node offers the port and that the session runs, and asks the engine where the
    /// port is published; answers the request with a problem (and returns null) when any of that fails. Whether the
    /// caller may use the session is checked by the caller, for remembered routes too.
    /// </summary>
    private static async Task<WebPortRoute?> ResolveAsync(
        HttpContext context, string id, string node, int port, ISessionService sessions, ILabCatalog labs, WebPortRoutes routes, ILogger logger)
    {
        var ct = context.RequestAborted;
        var session = await sessions.GetAsync(id, ct);
        if (session is null)
        {
            await Problem(404, "Not found", $"There is no session '{id}'.").ExecuteAsync(context);
            return null;
        }

        var definition = (await labs.GetAsync(session.LabName, ct))?.Definition.Nodes.FirstOrDefault(n => n.Name == node);
        if (session.Nodes.All(n => n.Node != node) || definition is null || definition.Access.Http.All(h => h.Port != port))
        {
            await Problem(404, "Not found", $"Node '{node}' of session '{id}' offers no web port {port}.").ExecuteAsync(context);
            return null;
        }

        if (session.State != SessionState.Running)
        {
            await Problem(409, "Conflict", $"Session '{id}' is {session.State}; only a running session's web ports can be opened.").ExecuteAsync(context);
            return null;
        }

        System.Net.IPEndPoint? endpoint;
        try
        {
            endpoint = await sessions.GetPortEndpointAsync(id, node, port, ct);
        }
        catch (Exception e) when (e is EngineException or InvalidOperationException)
        {
            GatewayLog.WebPortFailed(logger, e, node, id);
            await Problem(502, "Bad gateway", e.Message).ExecuteAsync(context);
            return null;
        }

        if (endpoint is null)
        {
            await Problem(502, "Bad gateway", $"Node '{node}' does not publish port {port}; ask the lab's author to list it under access.http.").ExecuteAsync(context);
            return null;
        }

        var route = new WebPortRoute(session, endpoint);
        routes.Remember(node, port, route);
        return route;
    }

    /// <summary>
    /// An access token (query, or the cookie it was traded for) or the signed-in user. A grant is returned for tokens;
    /// null means "the signed-in user", whose rights the caller checks against the session.
    /// </summary>
    private static AccessGrant? Authorize(HttpContext context, string id, string node, AccessTokenService tokens, ILogger logger, out IResult? refusal)
    {
        refusal = null;
        if (context.Request.Query.TryGetValue("access_token", out var value))
        {
            var grant = tokens.Validate(value.ToString());
            if (grant is null)
            {
                GatewayLog.AccessTokenRefused(logger);
                refusal = Problem(401, "Unauthorized", "The access token is malformed, tampered with, expired or signed by an unknown key.");
                return null;
            }

            if (!Opens(grant, id, node))
            {
                refusal = Problem(403, "Forbidden", "The access token does not open this node's web ports.");
            }

            return grant;
        }

        // The browser sends the cookie of the most specific path first; any one that opens this port will do.
        foreach (var cookie in CookieValues(context.Request, CookieName))
        {
            if (tokens.Validate(cookie) is { } grant && Opens(grant, id, node))
            {
                return grant;
            }
        }

        if (context.User.Identity?.IsAuthenticated != true)
        {
            refusal = Problem(401, "Unauthorized", "Open web ports from the workspace, or add an access token as ?access_token=.");
        }

        return null;
    }

    private static bool Opens(AccessGrant grant, string id, string node) =>
        grant.AllowsSession(id) && grant.AllowsNode(node) && grant.AllowsKind(AccessKinds.Http);

    private static IEnumerable<string> CookieValues(HttpRequest request, string name)
    {
        foreach (var header in request.Headers.Cookie)
        {
            foreach (var part in (header ?? "").Split(';'))
            {
                var pair = part.Trim();
                if (pair.StartsWith(name + "=", StringComparison.Ordinal))
                {
                    yield return pair[(name.Length + 1)..];
                }
            }
        }
    }
}
