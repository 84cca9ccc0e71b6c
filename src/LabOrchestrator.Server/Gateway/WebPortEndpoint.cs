using LabOrchestrator.Server.Hosting;
using LabOrchestrator.Server.Sessions;
using LabOrchestrator.Sessions;
using Yarp.ReverseProxy.Forwarder;
using static LabOrchestrator.Server.Gateway.GatewayProblem;

namespace LabOrchestrator.Server.Gateway;

/// <summary>
/// Serves every request of the web-ports listener: the host name (<see cref="WebPortOrigins"/>) names one session's node
/// port, an access token of kind <c>http</c> opens it once and is exchanged for a cookie of that host only, and the
/// request is forwarded (HTTP or WebSocket) to the node with YARP. Neither the login cookie nor API tokens count here.
/// </summary>
internal static class WebPortEndpoint
{
    /// <summary>The path-based form of earlier versions, which the main origin now redirects to the port's own origin.</summary>
    public const string LegacyPattern = "/gateway/sessions/{id}/nodes/{node}/ports/{port:int}/{**rest}";

    /// <summary><see cref="LegacyPattern"/> on the main origin: 307 to the same path (without the prefix) on the port's origin.</summary>
    public static IResult RedirectLegacy(HttpContext context, string id, string node, int port, string? rest, Listeners listeners)
    {
        string origin;
        try
        {
            origin = listeners.Origins.UrlFor(context.Request, id, node, port);
        }
        catch (InvalidOperationException e)
        {
            return Problem(404, "Not found", e.Message);
        }

        return Results.Redirect(origin + rest + context.Request.QueryString, permanent: false, preserveMethod: true);
    }

    public static async Task HandleAsync(HttpContext context)
    {
        var services = context.RequestServices;
        var origins = services.GetRequiredService<Listeners>().Origins;
        var logger = services.GetRequiredService<ILogger<AccessTokenService>>();
        if (origins.Read(context.Request) is not { } address)
        {
            await Problem(404, "Not found", "This address serves lab nodes' web ports only, each at a host name of its own; open them from the workspace.").ExecuteAsync(context);
            return;
        }

        var tokens = services.GetRequiredService<AccessTokenService>();
        var queryTokens = WebPortCredentials.AccessTokens(context.Request.QueryString);
        if (queryTokens.Count > 1)
        {
            await Problem(400, "Bad request", "Give one access_token in the query, not several.").ExecuteAsync(context);
            return;
        }

        var queryToken = queryTokens.SingleOrDefault();
        var queryGrant = queryToken is null ? null : await tokens.ValidateAsync(queryToken, context.RequestAborted);
        if (queryToken is not null && queryGrant is null)
        {
            GatewayLog.AccessTokenRefused(logger);
            await Problem(401, "Unauthorized", "The access token is malformed, tampered with, expired or signed by an unknown key.").ExecuteAsync(context);
            return;
        }

        if (queryGrant is not null && !(queryGrant.AllowsSession(address.SessionId) && queryGrant.AllowsKind(AccessKinds.Http)))
        {
            await Problem(403, "Forbidden", "The access token does not open this web port: it is for another session, or not for web ports (kind http).").ExecuteAsync(context);
            return;
        }

        var cookieGrants = new List<AccessGrant>();
        foreach (var cookie in WebPortCredentials.CookieValues(context.Request.Headers.Cookie, origins.CookieName))
        {
            // Checked with the sign-in behind it: a cookie dies with its user's logout, disable or delete.
            if (await tokens.ValidateAsync(cookie, context.RequestAborted) is { } grant && grant.AllowsSession(address.SessionId) && grant.AllowsKind(AccessKinds.Http))
            {
                cookieGrants.Add(grant);
            }
        }

        if (queryGrant is null && cookieGrants.Count == 0)
        {
            await Problem(401, "Unauthorized", "Open this web port from the workspace: its link carries an access token, which this address exchanges for a cookie of its own.").ExecuteAsync(context);
            return;
        }

        var routes = services.GetRequiredService<WebPortRoutes>();
        var route = routes.TryGet(address.SessionId, address.NodeLabel, address.Port) ?? await ResolveAsync(context, address, services, logger);
        if (route is null)
        {
            return;
        }

        var cookieGrant = cookieGrants.FirstOrDefault(g => g.AllowsNode(route.Node));
        string? setCookie = null;
        if (queryGrant is not null)
        {
            if (!queryGrant.AllowsNode(route.Node))
            {
                await Problem(403, "Forbidden", $"The access token does not open node '{route.Node}'.").ExecuteAsync(context);
                return;
            }

            var exchanges = services.GetRequiredService<WebPortTokenExchanges>();
            if (exchanges.TryExchange(queryToken!, context.Request.Host.Value ?? "", queryGrant.ExpiresAt))
            {
                setCookie = CookieHeader(context, origins, queryToken!, queryGrant.ExpiresAt);
            }
            else if (cookieGrant is null)
            {
                await Problem(401, "Unauthorized", "This link's access token was used already; open the web port again from the workspace for a fresh one.").ExecuteAsync(context);
                return;
            }

            if (HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method))
            {
                // The token leaves the address bar (and Referer headers); the redirect target has no access_token in any case.
                if (setCookie is not null)
                {
                    context.Response.Headers.SetCookie = setCookie;
                }

                context.Response.Headers.CacheControl = "no-store";
                context.Response.Redirect(context.Request.Path.ToUriComponent() + WebPortCredentials.WithoutAccessTokens(context.Request.QueryString));
                return;
            }
        }
        else if (cookieGrant is null)
        {
            await Problem(403, "Forbidden", $"The access cookie of this web port does not open node '{route.Node}'.").ExecuteAsync(context);
            return;
        }

        // Stopping the session, or ending the sign-in behind the token, ends its requests and WebSockets at once.
        var lifetimes = services.GetRequiredService<SessionLifetimes>();
        using var stopping = lifetimes.GetStoppingToken(address.SessionId).Register(context.Abort);
        var connections = services.GetRequiredService<GatewayConnections>();
        using var connection = new GatewayConnection(address.SessionId, route.Node, (queryGrant ?? cookieGrant)!.SignIn, AccessKinds.Http);
        connections.Add(connection);
        Observability.WebPortTraffic.Count(context, connection);
        using var closing = connection.Closing.Register(context.Abort);
        var transformer = new WebPortTransformer(origins.Secure ? "https" : "http", origins.CookieName, $"{route.Node}:{address.Port}", setCookie);
        var client = services.GetRequiredService<WebPortClient>();
        ForwarderError error;
        try
        {
            error = await services.GetRequiredService<IHttpForwarder>().SendAsync(
                context, WebPortClient.Destination(address.SessionId, route.Node, address.Port), client.Invoker, ForwarderRequestConfig.Empty, transformer);
        }
        finally
        {
            connections.Remove(connection);
        }

        if (error != ForwarderError.None && !context.Response.HasStarted)
        {
            var failure = context.Features.Get<IForwarderErrorFeature>()?.Exception;
            GatewayLog.WebPortFailed(logger, failure, route.Node, address.SessionId);
            routes.Forget(address.SessionId, address.NodeLabel, address.Port);
            context.Response.Clear();
            var notOffered = Causes(failure).OfType<PortNotOfferedException>().FirstOrDefault();
            await Problem(502, "Bad gateway", notOffered?.Message ?? $"Node '{route.Node}' did not answer on port {address.Port}: is the web application running?").ExecuteAsync(context);
        }
    }

    /// <summary>
    /// HttpOnly, SameSite=Lax, for this host only (no Domain, <c>Path=/</c>), until the token expires. Written by hand
    /// so that it can also go out on a forwarded answer.
    /// </summary>
    private static string CookieHeader(HttpContext context, WebPortOrigins origins, string token, DateTimeOffset expiresAt) =>
        new Microsoft.Net.Http.Headers.SetCookieHeaderValue(origins.CookieName, token)
        {
            Path = "/",
            HttpOnly = true,
            Secure = origins.Secure,
            SameSite = Microsoft.Net.Http.Headers.SameSiteMode.Lax,
            Expires = expiresAt,
        }.ToString();

    /// <summary>
    /// Reads the session, finds the node the host name names, checks that its lab lists the port and that the session
    /// runs; answers with a problem (and returns null) otherwise. The engine opens the connection when the forwarder
    /// needs one (<see cref="WebPortClient"/>).
    /// </summary>
    private static async Task<WebPortRoute?> ResolveAsync(HttpContext context, WebPortAddress address, IServiceProvider services, ILogger logger)
    {
        var ct = context.RequestAborted;
        var (id, port) = (address.SessionId, address.Port);
        var sessions = services.GetRequiredService<ISessionService>();
        var session = await sessions.GetAsync(id, ct);
        if (session is null)
        {
            await Problem(404, "Not found", $"There is no session '{id}'.").ExecuteAsync(context);
            return null;
        }

        var node = session.Nodes.Select(n => n.Node).Where(n => WebPortOrigins.NodeLabel(id, n, port) == address.NodeLabel).ToList();
        var definition = node.Count == 1
            ? (await sessions.GetLabSnapshotAsync(id, ct))?.Nodes.FirstOrDefault(n => n.Name == node[0])
            : null;
        if (definition is null || definition.Access.Http.All(h => h.Port != port))
        {
            await Problem(404, "Not found", $"Session '{id}' has no node '{address.NodeLabel}' with web port {port}.").ExecuteAsync(context);
            return null;
        }

        if (session.State == SessionState.Paused)
        {
            await Problem(409, "Session paused", $"Session '{id}' is paused; resume it to open its web ports.").ExecuteAsync(context);
            return null;
        }

        if (session.State != SessionState.Running)
        {
            await Problem(409, "Conflict", $"Session '{id}' is {session.State}; only a running session's web ports can be opened.").ExecuteAsync(context);
            return null;
        }

        var route = new WebPortRoute(session, definition.Name);
        services.GetRequiredService<WebPortRoutes>().Remember(address.NodeLabel, port, route);
        return route;
    }

    private static IEnumerable<Exception> Causes(Exception? failure)
    {
        for (var e = failure; e is not null; e = e.InnerException)
        {
            yield return e;
        }
    }
}
