using System.Net;
using LabOrchestrator.Server.Hosting;
using LabOrchestrator.Server.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace LabOrchestrator.Server.Tests.Hosting;

/// <summary>The main origin's framing and content headers (issue 11, finding 3), on a real server.</summary>
public sealed class SecurityHeadersTests : IDisposable
{
    private readonly string root = Directory.CreateTempSubdirectory("labo-web-").FullName;

    public SecurityHeadersTests() => File.WriteAllText(Path.Combine(root, "index.html"), "<!doctype html><div id=\"root\"></div>");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task MainOrigin_EveryAnswer_ForbidsFramingByOthers_AndSniffing()
    {
        await using var server = await ServerHost.StartAsync(new Dictionary<string, string?> { ["Web:Root"] = root }, Ct);
        using var client = server.Anonymous();
        var portsPort = server.Services.GetRequiredService<Listeners>().WebPortsPort;

        foreach (var path in new[] { "/", "/sessions/x", "/api/auth/me", "/api/no-such-thing", "/healthz", "/openapi/v1.json", "/gateway/sessions/x/nodes/y/terminal" })
        {
            var response = await client.GetAsync(path, Ct);
            var csp = Assert.Single(response.Headers.GetValues("Content-Security-Policy"));
            Assert.EndsWith("; frame-ancestors 'self'", csp, StringComparison.Ordinal);
            Assert.Equal("SAMEORIGIN", Assert.Single(response.Headers.GetValues("X-Frame-Options")));
            Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
            Assert.Equal("same-origin", Assert.Single(response.Headers.GetValues("Referrer-Policy")));
            if (path.StartsWith("/api", StringComparison.Ordinal) || path.StartsWith("/healthz", StringComparison.Ordinal))
            {
                Assert.StartsWith("default-src 'none';", csp, StringComparison.Ordinal);
            }
        }

        // The app's pages: own scripts only, frames only from the web ports' origins.
        var page = Assert.Single((await client.GetAsync("/", Ct)).Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("script-src 'self';", page, StringComparison.Ordinal);
        Assert.Contains("object-src 'none'", page, StringComparison.Ordinal);
        Assert.Contains($"frame-src http://*.ports.localhost:{portsPort};", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FrameAncestors_Configured_AllowsTheNamedEmbedders_AndDropsXFrameOptions()
    {
        await using var server = await ServerHost.StartAsync(new Dictionary<string, string?> { ["Web:Root"] = root, ["Server:FrameAncestors"] = "'self' https://moodle.example.com" }, Ct);
        using var client = server.Anonymous();

        var response = await client.GetAsync("/", Ct);

        Assert.EndsWith("; frame-ancestors 'self' https://moodle.example.com", Assert.Single(response.Headers.GetValues("Content-Security-Policy")), StringComparison.Ordinal);
        Assert.False(response.Headers.Contains("X-Frame-Options"));
    }

    [Theory]
    [InlineData("'self'; script-src *")]
    [InlineData("'none' 'self'")]
    [InlineData("https://a.example.com,https://b.example.com")]
    [InlineData("")]
    public async Task FrameAncestors_ThatCouldBreakThePolicy_AreRefusedAtStart(string value)
    {
        Assert.NotNull(SecurityHeaders.Check(value));
        await Assert.ThrowsAsync<OptionsValidationException>(async () => await ServerHost.StartAsync(new Dictionary<string, string?> { ["Server:FrameAncestors"] = value }, Ct));
    }

    [Fact]
    public async Task WebPortsListener_DoesNotCarryTheMainAppsPolicy()
    {
        await using var server = await ServerHost.StartAsync(cancellationToken: Ct);
        using var client = new HttpClient();
        var response = await client.GetAsync($"http://127.0.0.1:{server.Services.GetRequiredService<Listeners>().WebPortsPort}/", Ct);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.False(response.Headers.Contains("Content-Security-Policy"));
    }

    public void Dispose() => Directory.Delete(root, recursive: true);
}
