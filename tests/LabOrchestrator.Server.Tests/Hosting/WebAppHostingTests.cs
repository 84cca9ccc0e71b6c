using System.Net;
using LabOrchestrator.Server.Tests.Support;

namespace LabOrchestrator.Server.Tests.Hosting;

public sealed class WebAppHostingTests : IDisposable
{
    private readonly string root = Directory.CreateTempSubdirectory("labo-web-").FullName;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public WebAppHostingTests()
    {
        File.WriteAllText(Path.Combine(root, "index.html"), "<!doctype html><div id=\"root\"></div>");
        Directory.CreateDirectory(Path.Combine(root, "assets"));
        File.WriteAllText(Path.Combine(root, "assets", "index-abc123.js"), "console.log('app');");
    }

    [Fact]
    public async Task App_IsServedAtRoot_AndClientRoutesFallBackToIndex()
    {
        await using var server = await ServerHost.StartAsync(new Dictionary<string, string?> { ["Web:Root"] = root }, Ct);
        using var client = server.Anonymous();

        var index = await client.GetAsync("/", Ct);
        var route = await client.GetAsync("/sessions/abc/workspace", Ct);
        var asset = await client.GetAsync("/assets/index-abc123.js", Ct);

        Assert.Equal(HttpStatusCode.OK, index.StatusCode);
        Assert.Contains("id=\"root\"", await index.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Equal("no-cache", index.Headers.CacheControl?.ToString());
        Assert.Contains("id=\"root\"", await route.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Equal("text/html", route.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.OK, asset.StatusCode);
        Assert.Contains("immutable", asset.Headers.CacheControl?.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownApiPath_IsA404_NotTheApp()
    {
        await using var server = await ServerHost.StartAsync(new Dictionary<string, string?> { ["Web:Root"] = root }, Ct);
        using var client = server.Anonymous();

        var response = await client.GetAsync("/api/no-such-thing", Ct);
        // An API endpoint refusing a body's content type must still say so, not hand out the app.
        var (instructor, _) = await server.UserAsync("ines", "instructor", Ct);
        var wrongType = await instructor.PutAsync("/api/labs/demo", new StringContent("{}", System.Text.Encoding.UTF8, "application/json"), Ct);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.DoesNotContain("id=\"root\"", await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, wrongType.StatusCode);
    }

    public void Dispose() => Directory.Delete(root, recursive: true);
}
