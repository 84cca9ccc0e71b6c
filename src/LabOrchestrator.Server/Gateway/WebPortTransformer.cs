using Yarp.ReverseProxy.Forwarder;

namespace LabOrchestrator.Server.Gateway;

/// <summary>
/// Adapts a request for a node's web application and its answer for the browser: the gateway's path prefix comes off
/// (and is announced in <c>X-Forwarded-Prefix</c>), Lab Orchestrator's own cookies and API tokens stay behind, and
/// redirects and cookies of the application are put back under the prefix.
/// </summary>
internal sealed class WebPortTransformer(string prefix, string? rest) : HttpTransformer
{
    private static readonly string[] OwnCookiePrefixes = ["labo.", ".AspNetCore."];

    public override async ValueTask TransformRequestAsync(HttpContext httpContext, HttpRequestMessage proxyRequest, string destinationPrefix, CancellationToken cancellationToken)
    {
        await base.TransformRequestAsync(httpContext, proxyRequest, destinationPrefix, cancellationToken);
        var request = httpContext.Request;
        // The query goes on as it came, unless it carries an access token, which the application never sees.
        var query = request.Query.ContainsKey("access_token") ? QueryString.Create(request.Query.Where(q => q.Key != "access_token")) : request.QueryString;
        proxyRequest.RequestUri = new Uri($"{destinationPrefix}/{rest}{query}");
        proxyRequest.Headers.Host = null;

        proxyRequest.Headers.Remove("Cookie");
        var kept = string.Join("; ", request.Headers.Cookie.SelectMany(h => (h ?? "").Split(';'))
            .Select(c => c.Trim())
            .Where(c => c.Length > 0 && !OwnCookiePrefixes.Any(p => c.StartsWith(p, StringComparison.Ordinal))));
        if (kept.Length > 0)
        {
            proxyRequest.Headers.TryAddWithoutValidation("Cookie", kept);
        }

        if (request.Headers.Authorization.ToString().StartsWith("Bearer lot_", StringComparison.Ordinal))
        {
            proxyRequest.Headers.Authorization = null;
        }

        proxyRequest.Headers.Remove("X-CSRF-Token");
        proxyRequest.Headers.TryAddWithoutValidation("X-Forwarded-Prefix", prefix.TrimEnd('/'));
        proxyRequest.Headers.TryAddWithoutValidation("X-Forwarded-Host", request.Host.Value);
        proxyRequest.Headers.TryAddWithoutValidation("X-Forwarded-Proto", request.Scheme);
        if (httpContext.Connection.RemoteIpAddress is { } remote)
        {
            proxyRequest.Headers.TryAddWithoutValidation("X-Forwarded-For", remote.ToString());
        }
    }

    public override async ValueTask<bool> TransformResponseAsync(HttpContext httpContext, HttpResponseMessage? proxyResponse, CancellationToken cancellationToken)
    {
        var result = await base.TransformResponseAsync(httpContext, proxyResponse, cancellationToken);
        if (proxyResponse is null)
        {
            return result;
        }

        var headers = httpContext.Response.Headers;
        if (proxyResponse.Headers.Location is { } location)
        {
            headers.Location = RewriteLocation(location, proxyResponse.RequestMessage?.RequestUri);
        }

        if (headers.SetCookie.Count > 0)
        {
            headers.SetCookie = headers.SetCookie.Select(c => RewriteCookiePath(c ?? "")).ToArray();
        }

        return result;
    }

    /// <summary>Redirects to the application itself (absolute paths, or its own address) stay under the prefix.</summary>
    internal string RewriteLocation(Uri location, Uri? upstream)
    {
        if (!location.IsAbsoluteUri)
        {
            var text = location.OriginalString;
            return text.StartsWith('/') && !text.StartsWith("//", StringComparison.Ordinal) ? prefix.TrimEnd('/') + text : text;
        }

        if (upstream is not null && string.Equals(location.Authority, upstream.Authority, StringComparison.OrdinalIgnoreCase))
        {
            return prefix.TrimEnd('/') + location.PathAndQuery + location.Fragment;
        }

        return location.OriginalString;
    }

    /// <summary>
    /// An application's cookie for <c>Path=/x</c> becomes <c>Path=PREFIX/x</c> (and one without a path gets the prefix),
    /// so applications of different sessions on the web-ports origin never see each other's cookies.
    /// </summary>
    internal string RewriteCookiePath(string setCookie)
    {
        var parts = setCookie.Split(';').Select(p => p.Trim()).ToList();
        var root = prefix.TrimEnd('/');
        var found = false;
        for (var i = 1; i < parts.Count; i++)
        {
            if (parts[i].StartsWith("path=", StringComparison.OrdinalIgnoreCase))
            {
                var path = parts[i][5..];
                parts[i] = "Path=" + root + (path.StartsWith('/') ? path : "/" + path);
                found = true;
            }
            else if (parts[i].StartsWith("domain=", StringComparison.OrdinalIgnoreCase))
            {
                parts.RemoveAt(i--);
            }
        }

        if (!found)
        {
            parts.Add("Path=" + root + "/");
        }

        return string.Join("; ", parts);
    }

}
