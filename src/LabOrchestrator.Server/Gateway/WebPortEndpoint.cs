using System.Globalization;
using LabOrchestrator.Engines;
using LabOrchestrator.Labs;
using LabOrchestrator.Server.Accounts;
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
        Listeners listeners, ISessionService sessions, ILabCatalog labs, AccessTokenService tokens, GatewayConnections connections,
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

        var (grant, refusal) = await AuthorizeAsync(context, id, node, tokens, logger);
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

        // Stopping the session, or ending the sign-in behind the request, ends its requests and WebSockets at once.
        using var connection = new GatewayConnection(id, node, grant?.SignIn ?? context.User.GetSignIn()!);
        connections.Add(connection);
        using var closing = connection.Closing.Register(context.Abort);
        var destination = $"http://{route.Endpoint}";
        ForwarderError error;
        try
        {
            error = await forwarder.SendAsync(context, destination, client.Invoker, ForwarderRequestConfig.Empty, new WebPortTransformer(context.Request.PathBase + prefix, rest));
        }
        finally
        {
            connections.Remove(connection);
        }

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
    private static async Task<(AccessGrant? Grant, IResult? Refusal)> AuthorizeAsync(HttpContext context, string id, string node, AccessTokenService tokens, ILogger logger)
    {
        if (context.Request.Query.TryGetValue("access_token", out var value))
        {
            var grant = await tokens.ValidateAsync(value.ToString(), context.RequestAborted);
            if (grant is null)
            {
                GatewayLog.AccessTokenRefused(logger);
                return (null, Problem(401, "Unauthorized", ConsoleRequest.AccessTokenRefusal));
            }

            return Opens(grant, id, node) ? (grant, null) : (grant, Problem(403, "Forbidden", "The access token does not open this node's web ports."));
        }

        // The browser sends the cookie of the most specific path first; any one that opens this port will do.
        foreach (var cookie in CookieValues(context.Request, CookieName))
        {
            if (await tokens.ValidateAsync(cookie, context.RequestAborted) is { } grant && Opens(grant, id, node))
            {
                return (grant, null);
            }
        }

        if (context.User.Identity?.IsAuthenticated != true || context.User.GetSignIn() is null)
        {
            return (null, Problem(401, "Unauthorized", "Open web ports from the workspace, or add an access token as ?access_token=."));
        }

        return (null, null);
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
