using System.Net;
using System.Text;
using Yarp.ReverseProxy.Forwarder;

namespace LabOrchestrator.Server.Gateway;

/// <summary>
/// Adapts a request for a node's web application and its answer for the browser. Requests lose Lab Orchestrator's
/// credentials (whatever their case) and the client's forwarding headers, which the gateway replaces with its own;
/// answers lose hop-by-hop and dangerous headers, cookies the application may not set, and cookies' <c>Domain</c>.
/// </summary>
/// <param name="publicScheme">The scheme browsers reach port origins with (for X-Forwarded-Proto).</param>
/// <param name="accessCookieName">The gateway's access cookie on port origins, which the application may not set.</param>
/// <param name="accessCookie">A Set-Cookie for the access cookie to add to the answer (a token exchanged on a POST), or null.</param>
/// <param name="nodeHost">The Host the application sees: the node's name and port, as other nodes of the lab reach it.</param>
internal sealed class WebPortTransformer(string publicScheme, string accessCookieName, string nodeHost, string? accessCookie = null) : HttpTransformer
{
    public override async ValueTask TransformRequestAsync(HttpContext httpContext, HttpRequestMessage proxyRequest, string destinationPrefix, CancellationToken cancellationToken)
    {
        await base.TransformRequestAsync(httpContext, proxyRequest, destinationPrefix, cancellationToken);
        var request = httpContext.Request;
        var query = WebPortCredentials.WithoutAccessTokens(request.QueryString);
        proxyRequest.RequestUri = RequestUtilities.MakeDestinationAddress(destinationPrefix, request.Path, query);
        proxyRequest.Headers.Host = nodeHost;

        proxyRequest.Headers.Remove("Cookie");
        var kept = WebPortCredentials.ForeignCookies(request.Headers.Cookie);
        if (kept.Length > 0)
        {
            proxyRequest.Headers.TryAddWithoutValidation("Cookie", kept);
        }

        if (request.Headers.Authorization.Any(a => AuthorizationCarriesToken(a ?? "")))
        {
            proxyRequest.Headers.Remove("Authorization");
        }

        foreach (var name in proxyRequest.Headers.Select(h => h.Key)
            .Where(n => n.StartsWith(WebPortHeaders.ForwardedPrefix, StringComparison.OrdinalIgnoreCase)
                || WebPortHeaders.DroppedRequest.Contains(n, StringComparer.OrdinalIgnoreCase)
                || WebPortHeaders.HopByHop.Contains(n, StringComparer.OrdinalIgnoreCase) && !IsUpgradeHeader(httpContext, n))
            .ToList())
        {
            proxyRequest.Headers.Remove(name);
        }

        // The gateway's own view of the client, never the client's claims about itself.
        var host = request.Host.Value ?? "";
        proxyRequest.Headers.TryAddWithoutValidation("X-Forwarded-Host", host);
        proxyRequest.Headers.TryAddWithoutValidation("X-Forwarded-Proto", publicScheme);
        var forwarded = $"host=\"{host}\";proto={publicScheme}";
        if (httpContext.Connection.RemoteIpAddress is { } remote)
        {
            proxyRequest.Headers.TryAddWithoutValidation("X-Forwarded-For", remote.ToString());
            forwarded = $"for=\"{(remote.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{remote}]" : remote.ToString())}\";" + forwarded;
        }

        proxyRequest.Headers.TryAddWithoutValidation("Forwarded", forwarded);
    }

    public override async ValueTask<bool> TransformResponseAsync(HttpContext httpContext, HttpResponseMessage? proxyResponse, CancellationToken cancellationToken)
    {
        var result = await base.TransformResponseAsync(httpContext, proxyResponse, cancellationToken);
        if (proxyResponse is null)
        {
            return result;
        }

        var headers = httpContext.Response.Headers;
        var upgraded = proxyResponse.StatusCode == HttpStatusCode.SwitchingProtocols;
        // Headers the upstream's Connection header names are hop-by-hop too (RFC 9110 7.6.1).
        var connectionListed = proxyResponse.Headers.Connection.ToList();
        foreach (var name in headers.Keys.Where(n =>
            WebPortHeaders.DroppedResponse.Contains(n, StringComparer.OrdinalIgnoreCase)
            || !upgraded && (WebPortHeaders.HopByHop.Contains(n, StringComparer.OrdinalIgnoreCase) || connectionListed.Contains(n, StringComparer.OrdinalIgnoreCase))).ToList())
        {
            headers.Remove(name);
        }

        if (proxyResponse.Headers.Location is { } location)
        {
            // The application builds absolute redirects from the Host it was sent: the node's name and port.
            headers.Location = RewriteLocation(location, new Uri($"http://{nodeHost}"));
        }

        if (headers.SetCookie.Count > 0)
        {
            var kept = headers.SetCookie.Select(c => RewriteSetCookie(c ?? "")).OfType<string>().ToArray();
            headers.Remove("Set-Cookie");
            if (kept.Length > 0)
            {
                headers.SetCookie = kept;
            }
        }

        if (accessCookie is not null)
        {
            headers.Append("Set-Cookie", accessCookie);
        }

        return result;
    }

    /// <summary>Redirects to the application's own (upstream) address become paths on the port's origin.</summary>
    internal static string RewriteLocation(Uri location, Uri? upstream)
    {
        if (location.IsAbsoluteUri && upstream is not null && string.Equals(location.Authority, upstream.Authority, StringComparison.OrdinalIgnoreCase))
        {
            return location.PathAndQuery + location.Fragment;
        }

        return location.OriginalString;
    }

    /// <summary>
    /// The application's cookie without <c>Domain</c> (so it stays on the port's own host and never reaches sibling
    /// ports or the main app), or null for a cookie named like Lab Orchestrator's, which the application may not set.
    /// </summary>
    internal string? RewriteSetCookie(string setCookie)
    {
        var parts = setCookie.Split(';').Select(p => p.Trim()).ToList();
        var pair = parts[0].Split('=', 2);
        if (WebPortCredentials.IsOwnCookie(pair[0], pair.Length > 1 ? pair[1] : "")
            || string.Equals(pair[0].Trim(), accessCookieName, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        parts.RemoveAll(p => p.StartsWith("domain", StringComparison.OrdinalIgnoreCase) && p.TrimStart()[6..].TrimStart().StartsWith('='));
        return string.Join("; ", parts);
    }

    private static bool AuthorizationCarriesToken(string value)
    {
        if (WebPortCredentials.CarriesToken(value))
        {
            return true;
        }

        var trimmed = value.Trim();
        if (!trimmed.StartsWith("basic ", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var buffer = new byte[trimmed.Length];
        return Convert.TryFromBase64String(trimmed[6..].Trim(), buffer, out var written)
            && WebPortCredentials.CarriesToken(Encoding.UTF8.GetString(buffer, 0, written).Replace(':', ' '));
    }

    // A WebSocket handshake needs its Upgrade and Connection headers; YARP forwards those itself.
    private static bool IsUpgradeHeader(HttpContext context, string name) =>
        context.WebSockets.IsWebSocketRequest && (name.Equals("Upgrade", StringComparison.OrdinalIgnoreCase) || name.Equals("Connection", StringComparison.OrdinalIgnoreCase));
}
