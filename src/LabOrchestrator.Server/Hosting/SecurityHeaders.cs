using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace LabOrchestrator.Server.Hosting;

/// <summary>
/// Headers on every answer of the main origin (web app, API, consoles, docs): a Content-Security-Policy with
/// <c>frame-ancestors</c> from <c>Server:FrameAncestors</c> (who may embed the app; <c>'self'</c> by default), the
/// matching X-Frame-Options where that header can say it, <c>nosniff</c> and a same-origin Referrer-Policy. Web ports'
/// answers are the node's and get none of this (they never pass here).
/// </summary>
internal static partial class SecurityHeaders
{
    /// <summary>
    /// The web app: its own scripts only; inline styles (React style attributes, xterm.js's and highlight.js's style
    /// elements); images from itself and data:/blob: URLs (guide media, noVNC); WebSockets to itself ('self' covers ws:
    /// and wss: of the same host); frames only from port origins.
    /// </summary>
    private const string AppPolicy = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; "
        + "font-src 'self' data:; connect-src 'self'; media-src 'self' blob:; worker-src 'self' blob:; object-src 'none'; base-uri 'self'; form-action 'self'";

    /// <summary>The API reference page (Scalar) configures itself with an inline script and loads its fonts from its CDN.</summary>
    private const string DocsPolicy = "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline' https:; img-src 'self' data: https:; "
        + "font-src 'self' data: https:; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'";

    /// <summary>JSON, media and everything else that is not a page: nothing in it may run or load anything.</summary>
    private const string DataPolicy = "default-src 'none'; base-uri 'none'; form-action 'none'";

    public static WebApplication UseSecurityHeaders(this WebApplication app)
    {
        var ancestors = app.Services.GetRequiredService<IOptions<ServerOptions>>().Value.FrameAncestors.Trim();
        var frameOptions = ancestors switch
        {
            "'self'" => "SAMEORIGIN",
            "'none'" => "DENY",
            // X-Frame-Options cannot name other sites; browsers that know frame-ancestors ignore it anyway.
            _ => null,
        };
        var origins = app.Services.GetRequiredService<Listeners>().Origins;
        app.Use((context, next) =>
        {
            // Set when the answer starts, so that error handlers that clear the headers do not take them off.
            context.Response.OnStarting(() =>
            {
                var headers = context.Response.Headers;
                var path = context.Request.Path;
                var policy = IsData(path) ? DataPolicy
                    : IsDocs(path) ? DocsPolicy
                    : $"{AppPolicy}; frame-src {origins.SourceFor(context.Request)}";
                // A handler's own policy (guide media: sandbox) is kept, added to the site's.
                var own = headers.ContentSecurityPolicy.ToString();
                headers.ContentSecurityPolicy = own.Length == 0 ? $"{policy}; frame-ancestors {ancestors}" : $"{policy}; {own}; frame-ancestors {ancestors}";
                if (frameOptions is not null)
                {
                    headers.XFrameOptions = frameOptions;
                }

                headers.XContentTypeOptions = "nosniff";
                headers["Referrer-Policy"] = "same-origin";
                return Task.CompletedTask;
            });
            return next(context);
        });
        return app;
    }

    /// <summary>Null when <paramref name="value"/> is a valid frame-ancestors source list, else what is wrong with it.</summary>
    public static string? Check(string? value)
    {
        var sources = (value ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (sources.Length == 0)
        {
            return "Server:FrameAncestors is empty; give 'self' (the default), 'none', or sources such as 'self' https://moodle.example.com.";
        }

        if (sources.Contains("'none'") && sources.Length > 1)
        {
            return "Server:FrameAncestors: 'none' cannot be combined with other sources.";
        }

        var bad = sources.FirstOrDefault(s => s is not ("'self'" or "'none'") && !SourcePattern().IsMatch(s));
        return bad is null ? null
            : $"Server:FrameAncestors: '{bad}' is not a frame-ancestors source; use 'self', 'none', a scheme such as https:, or an origin such as https://moodle.example.com (wildcards like https://*.example.com allowed).";
    }

    private static bool IsData(PathString path) =>
        path.StartsWithSegments("/api") || path.StartsWithSegments("/gateway") || path.StartsWithSegments("/openapi")
        || path.StartsWithSegments("/healthz") || path.StartsWithSegments("/readyz");

    private static bool IsDocs(PathString path) => path.StartsWithSegments("/docs") || path.StartsWithSegments("/scalar");

    [GeneratedRegex(@"^(?:https?:|(?:https?://)?(?:\*\.)?[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*(?::(?:[0-9]{1,5}|\*))?(?:/[A-Za-z0-9._~/-]*)?)$")]
    private static partial Regex SourcePattern();
}
