using System.Net;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text.Json;
using LabOrchestrator.Server.Accounts;
using LabOrchestrator.Server.Tests.Labs;
using LabOrchestrator.Server.Tests.Persist;
using LabOrchestrator.Server.Tests.Support;

namespace LabOrchestrator.Server.Tests.Gateway;

/// <summary>
/// The gateway serves a running session from the lab it started with (the copy stored with the session): re-importing
/// the lab with other nodes and ports does not take a learner's terminal or web port away.
/// </summary>
public sealed class LabSnapshotGatewayTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string Lab(string node, bool web) => $"""
        name: snap
        nodes:
          - name: {node}
            image: localhost/lab-base:latest
            access:
              terminal: true
        {(web ? "      http:\n        - name: web\n          port: 8080" : "")}
        """;

    [Fact]
    public async Task LabReimportedWithoutTheNode_RunningSessionKeepsItsTerminalAndWebPort()
    {
        var engine = new FakeLabEngine();
        await using var server = await ServerHost.StartWithFakeEngineAsync(engine, cancellationToken: Ct);
        var (admin, _) = await server.UserAsync("ada", Roles.Admin, Ct);
        var (learner, secret) = await server.UserAsync("lea", Roles.Learner, Ct);
        Assert.True((await LabsApi.PutAsync(admin, "snap", Lab("box", web: true), Ct)).IsSuccessStatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync("/api/labs/snap/publish", null, Ct)).StatusCode);
        var id = await PersistApi.StartAsync(learner, "snap", Ct);

        var reimport = await LabsApi.PutAsync(admin, "snap", Lab("other", web: false), Ct);
        using var access = await learner.PostAsJsonAsync($"/api/sessions/{id}/access", new { kinds = new[] { "terminal", "http" } }, Ct);
        using var terminal = await PersistApi.OpenTerminalAsync(server, id, "box", secret);

        Assert.True(reimport.IsSuccessStatusCode, await reimport.Content.ReadAsStringAsync(Ct));
        Assert.Equal(HttpStatusCode.OK, access.StatusCode);
        var box = (await access.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("nodes").GetProperty("box");
        Assert.NotNull(box.GetProperty("terminal").GetString());
        Assert.True(box.GetProperty("ports").TryGetProperty("web", out _));
        Assert.Equal(WebSocketState.Open, terminal.State);
    }
}
