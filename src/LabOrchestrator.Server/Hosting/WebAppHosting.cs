using Microsoft.Extensions.FileProviders;

namespace LabOrchestrator.Server.Hosting;

/// <summary>
/// Serves the browser app (web/, built into the server's wwwroot folder) at /, with client-side routes falling back to
/// index.html. Without a built app the server is API-only.
/// </summary>
internal static class WebAppHosting
{
    private const string ClientRoutes = "{*path:nonfile:regex(^(?!(api|gateway|openapi|docs|healthz|readyz)(/|$)).*$)}";

    public static WebApplication UseWebApp(this WebApplication app)
    {
        var root = app.Configuration["Web:Root"] ?? Path.Combine(AppContext.BaseDirectory, "wwwroot");
        if (!File.Exists(Path.Combine(root, "index.html")))
        {
            return app;
        }

        var files = new PhysicalFileProvider(Path.GetFullPath(root));
        app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = files });
        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = files,
            // Vite names bundles by content hash, so they can be cached for good; index.html must always be fresh.
            OnPrepareResponse = context => context.Context.Response.Headers.CacheControl =
                context.File.Name == "index.html" ? "no-cache" : "public, max-age=31536000, immutable",
        });
        // Only page loads fall back to the app: API, gateway and docs paths are never candidates, so their own
        // answers (404, 405, 415…) are not replaced by index.html.
        app.MapFallback(ClientRoutes, async context =>
        {
            context.Response.ContentType = "text/html; charset=utf-8";
            context.Response.Headers.CacheControl = "no-cache";
            await context.Response.SendFileAsync(files.GetFileInfo("index.html"));
        })
            .WithMetadata(new HttpMethodMetadata([HttpMethods.Get, HttpMethods.Head]))
            .ExcludeFromDescription();
        return app;
    }
}
