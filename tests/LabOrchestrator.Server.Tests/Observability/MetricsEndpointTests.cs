using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using LabOrchestrator.Engines;
using LabOrchestrator.Server.Accounts;
using LabOrchestrator.Server.Observability;
using LabOrchestrator.Server.Tests.Gateway;
using LabOrchestrator.Server.Tests.Sessions;
using LabOrchestrator.Server.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace LabOrchestrator.Server.Tests.Observability;

/// <summary><c>/metrics</c> of the real server on <see cref="FakeLabEngine"/>: what a scrape shows after a learner's work, and who may scrape.</summary>
public sealed class MetricsEndpointTests
{
    private const string Token = "a-metrics-bearer-token-of-at-least-32-chars";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Scrape_AfterAStartATerminalAndChecks_ShowsTheSeriesAnOperatorLooksFor()
    {
        var engine = new FakeLabEngine();
        await using var server = await ServerHost.StartWithFakeEngineAsync(engine, settings: new Dictionary<string, string?> { ["Metrics:SessionCountsMaxAge"] = "00:00:00" }, cancellationToken: Ct);
        var (instructor, _) = await server.UserAsync("ines", Roles.Instructor, Ct);
        var (learner, secret) = await server.UserAsync("lea", Roles.Learner, Ct);
        await SessionsApi.PublishRepositoryLabAsync(instructor, "hello-linux", Ct);
        var id = await StartRunningAsync(learner, Ct);

        await using (var terminal = await TerminalClient.ConnectAsync(new Uri($"ws://{server.Address.Authority}/gateway/sessions/{id}/nodes/linux/terminal"), secret, Ct))
        {
            await terminal.SendAsync("echo metrics-probe\r", Ct);
            Assert.True(await terminal.WaitForAsync("metrics-probe", Ct), terminal.Output);
            var open = await ScrapeAsync(server, Ct);
            Assert.Equal(1, open.Value("labo_gateway_connections", "kind=terminal"));
        }

        var passed = await learner.PostAsync($"/api/sessions/{id}/guide/steps/make-folder/check", null, Ct);
        Assert.Equal(HttpStatusCode.OK, passed.StatusCode);
        engine.ExecHandler = (_, _, _) => throw new EngineException("exec failed on purpose");
        var broken = await learner.PostAsync($"/api/sessions/{id}/guide/steps/make-folder/check", null, Ct);
        Assert.NotEqual(HttpStatusCode.OK, broken.StatusCode);

        var metrics = await WaitForConnectionsClosedAsync(server, Ct);
        Assert.Equal(1, metrics.Value("labo_sessions", "lab=hello-linux", "state=running"));
        Assert.Equal(0, metrics.Value("labo_sessions", "lab=hello-linux", "state=failed"));
        Assert.Equal(1, metrics.Value("labo_session_start_duration_seconds_count", "kind=cold", "lab=hello-linux", "outcome=running"));
        Assert.NotNull(metrics.Value("labo_session_start_duration_seconds_bucket", "kind=cold", "le=0.05"));
        Assert.Equal(0, metrics.Value("labo_gateway_connections", "kind=terminal"));
        Assert.True(metrics.Value("labo_gateway_io_bytes_total", "kind=terminal", "direction=to_node") >= "echo metrics-probe\r".Length, metrics.Text);
        Assert.True(metrics.Value("labo_gateway_io_bytes_total", "kind=terminal", "direction=to_client") >= "metrics-probe".Length, metrics.Text);
        Assert.Equal(1, metrics.Value("labo_guide_checks_total", "lab=hello-linux", "result=passed"));
        Assert.Equal(1, metrics.Value("labo_engine_errors_total", "engine=fake", "operation=exec"));

        Assert.Equal(HttpStatusCode.OK, (await learner.DeleteAsync($"/api/sessions/{id}", Ct)).StatusCode);
        var stopped = await ScrapeAsync(server, Ct);
        Assert.Equal(0, stopped.Value("labo_sessions", "lab=hello-linux", "state=running"));
        Assert.Equal(1, stopped.Value("labo_sessions", "lab=hello-linux", "state=stopped"));
    }

    [Fact]
    public async Task Scrape_FromElsewhereOrWithAWrongToken_IsRefused_AndTheConfiguredTokenReadsFromAnywhere()
    {
        await using var server = await ServerHost.StartWithFakeEngineAsync(new FakeLabEngine(), settings: new Dictionary<string, string?> { ["Metrics:BearerToken"] = Token }, cancellationToken: Ct);
        var (learner, learnerToken) = await server.UserAsync("lea", Roles.Learner, Ct);
        var (admin, _) = await server.UserAsync("ada", Roles.Admin, Ct);

        // Through a reverse proxy on the same machine, everyone looks like loopback: forwarded requests are not local.
        foreach (var header in new[] { "X-Forwarded-For", "Forwarded" })
        {
            using var proxied = new HttpRequestMessage(HttpMethod.Get, "/metrics");
            proxied.Headers.TryAddWithoutValidation(header, header == "Forwarded" ? "for=203.0.113.7" : "203.0.113.7");
            var refused = await server.Anonymous().SendAsync(proxied, Ct);
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
            Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
            Assert.DoesNotContain("labo_", await refused.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        }

        // Signing in does not open it: neither a learner's nor an admin's API token is the metrics token.
        Assert.Equal(HttpStatusCode.Unauthorized, (await learner.GetAsync("/metrics", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await admin.GetAsync("/metrics", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await WithBearer(server, Token + "x").GetAsync("/metrics", Ct)).StatusCode);
        Assert.NotEqual(Token, learnerToken);

        using var scraper = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        scraper.Headers.TryAddWithoutValidation("X-Forwarded-For", "203.0.113.7");
        scraper.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        var allowed = await server.Anonymous().SendAsync(scraper, Ct);
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        Assert.Contains("text/plain", allowed.Content.Headers.ContentType?.ToString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await server.Anonymous().GetAsync("/metrics", Ct)).StatusCode);
    }

    [Fact]
    public async Task Scrape_WithLoopbackNotAllowed_NeedsTheToken_AndDisabledMetricsAreNotServed()
    {
        await using (var server = await ServerHost.StartWithFakeEngineAsync(new FakeLabEngine(), settings: new Dictionary<string, string?> { ["Metrics:AllowLoopback"] = "false" }, cancellationToken: Ct))
        {
            Assert.Equal(HttpStatusCode.Forbidden, (await server.Anonymous().GetAsync("/metrics", Ct)).StatusCode);
        }

        await using (var server = await ServerHost.StartWithFakeEngineAsync(new FakeLabEngine(), settings: new Dictionary<string, string?> { ["Metrics:Enabled"] = "false" }, cancellationToken: Ct))
        {
            // Disabled, the path is nobody's: a 404, or the web app's page where the app is built (its client routes).
            var response = await server.Anonymous().GetAsync("/metrics", Ct);
            var body = await response.Content.ReadAsStringAsync(Ct);
            Assert.DoesNotContain("# TYPE", body, StringComparison.Ordinal);
            Assert.DoesNotContain("labo_", body, StringComparison.Ordinal);
            Assert.NotEqual("text/plain", response.Content.Headers.ContentType?.MediaType);
        }
    }

    [Fact]
    public async Task Scrape_OfOneServer_ShowsNothingOfAnotherServerInTheSameProcess()
    {
        await using var a = await ServerHost.StartWithFakeEngineAsync(new FakeLabEngine(), cancellationToken: Ct);
        await using var b = await ServerHost.StartWithFakeEngineAsync(new FakeLabEngine(), cancellationToken: Ct);
        b.Services.GetRequiredService<LabMetrics>().RecordReconcilerAction("removed_orphan");

        Assert.Null((await ScrapeAsync(a, Ct)).Value("labo_reconciler_actions_total", "action=removed_orphan"));
        Assert.Equal(1, (await ScrapeAsync(b, Ct)).Value("labo_reconciler_actions_total", "action=removed_orphan"));
    }

    [Fact]
    public async Task SessionCounts_AreReadOncePerMaxAge_HoweverOftenTheyAreScraped()
    {
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var server = await ServerHost.StartWithFakeEngineAsync(new FakeLabEngine(), clock, cancellationToken: Ct);
        var counts = server.Services.GetRequiredService<SessionCounts>();

        await ScrapeAsync(server, Ct);
        await ScrapeAsync(server, Ct);
        clock.Advance(TimeSpan.FromSeconds(9));
        await ScrapeAsync(server, Ct);
        Assert.Equal(1, counts.Queries);

        clock.Advance(TimeSpan.FromSeconds(1));
        await ScrapeAsync(server, Ct);
        Assert.Equal(2, counts.Queries);
    }

    [Fact]
    public async Task Server_WithATooShortMetricsToken_RefusesToStart()
    {
        var e = await Assert.ThrowsAnyAsync<Exception>(() => ServerHost.StartWithFakeEngineAsync(new FakeLabEngine(), settings: new Dictionary<string, string?> { ["Metrics:BearerToken"] = "short" }, cancellationToken: Ct));
        Assert.Contains("Metrics:BearerToken", e.Message, StringComparison.Ordinal);
    }

    internal static async Task<string> StartRunningAsync(HttpClient learner, CancellationToken cancellationToken)
    {
        var start = await SessionsApi.StartAsync(learner, "hello-linux", cancellationToken);
        Assert.Equal(HttpStatusCode.Accepted, start.StatusCode);
        var id = (await start.Content.ReadFromJsonAsync<JsonElement>(cancellationToken)).GetProperty("id").GetString()!;
        var events = await SessionsApi.FollowAsync(learner, id, cancellationToken);
        Assert.Equal("Running", events[^1].GetProperty("state").GetString());
        return id;
    }

    private static async Task<PrometheusText> ScrapeAsync(ServerHost server, CancellationToken cancellationToken)
    {
        var response = await server.Anonymous().GetAsync("/metrics", cancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return new PrometheusText(await response.Content.ReadAsStringAsync(cancellationToken));
    }

    /// <summary>The server notices a closed WebSocket a moment after the client: scrape until the connection count is back to 0.</summary>
    private static async Task<PrometheusText> WaitForConnectionsClosedAsync(ServerHost server, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            var metrics = await ScrapeAsync(server, cancellationToken);
            if (metrics.Value("labo_gateway_connections", "kind=terminal") == 0 || attempt == 50)
            {
                return metrics;
            }

            await Task.Delay(100, cancellationToken);
        }
    }

    private static HttpClient WithBearer(ServerHost server, string token)
    {
        var client = server.Anonymous();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }
}
