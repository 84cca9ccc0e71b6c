using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using LabOrchestrator.Server.Tests.Support;

namespace LabOrchestrator.Server.Tests.Hosting;

public sealed class HealthTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Healthz_And_Readyz_AnswerWithoutLogin()
    {
        await using var server = await ServerHost.StartAsync(cancellationToken: Ct);
        using var client = server.Anonymous();

        var live = await client.GetAsync("/healthz", Ct);
        var ready = await client.GetFromJsonAsync<JsonElement>("/readyz", Ct);

        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal("ready", ready.GetProperty("status").GetString());
        Assert.Equal("ok", ready.GetProperty("checks").GetProperty("database").GetString());
        Assert.Equal("ok", ready.GetProperty("checks").GetProperty("engine").GetString());
    }

    [Fact]
    public async Task OpenApiDocument_AndApiDocs_AreServed()
    {
        await using var server = await ServerHost.StartAsync(cancellationToken: Ct);
        using var client = server.Anonymous();

        var openApi = await client.GetFromJsonAsync<JsonElement>("/openapi/v1.json", Ct);
        var docs = await client.GetAsync("/docs/", Ct);

        Assert.StartsWith("3.", openApi.GetProperty("openapi").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, docs.StatusCode);
        Assert.Contains("Lab Orchestrator API", await docs.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }
}
