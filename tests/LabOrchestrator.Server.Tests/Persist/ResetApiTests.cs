using System.Net;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text.Json;
using LabOrchestrator.Server.Accounts;
using LabOrchestrator.Server.Gateway;
using LabOrchestrator.Server.Tests.Sessions;
using LabOrchestrator.Server.Tests.Support;

namespace LabOrchestrator.Server.Tests.Persist;

/// <summary>POST /api/sessions/{id}/reset on <see cref="FakeLabEngine"/>: the rules; real Podman proves the files go.</summary>
public sealed class ResetApiTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ResetNode_ShowsItsProgressOnTheEventStream_ClosesItsTerminalWithAMessage_AndKeepsProgress()
    {
        var engine = new FakeLabEngine();
        await using var server = await ServerHost.StartWithFakeEngineAsync(engine, cancellationToken: Ct);
        var (learner, token) = await PersistApi.RunningTwoHostsAsync(server, engine, Ct);
        var id = token.SessionId;
        Assert.True((await learner.PostAsync($"/api/sessions/{id}/guide/steps/fetch-page/check", null, Ct)).IsSuccessStatusCode);
        using var terminal = await PersistApi.OpenTerminalAsync(server, id, "server", token.Secret);
        using var other = await PersistApi.OpenTerminalAsync(server, id, "client", token.Secret);

        engine.HoldApplies();
        var reset = learner.PostAsJsonAsync($"/api/sessions/{id}/reset", new { node = "server", progress = "keep" }, Ct);
        while (!engine.Resets.Contains((id, "server")))
        {
            await Task.Delay(20, Ct);
        }

        var closed = await PersistApi.ReceiveCloseAsync(terminal, Ct);
        var following = SessionsApi.FollowAsync(learner, id, Ct);
        await Task.Delay(200, Ct);
        engine.ReleaseApplies();
        var response = await reset;
        var events = await following;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal((WebSocketCloseStatus)GatewayClose.NodeResetCode, closed.Status);
        Assert.Contains("reset", closed.Description, StringComparison.Ordinal);
        Assert.Equal(WebSocketState.Open, other.State);
        var serverStates = events.Select(e => PersistApi.NodeState(e, "server")).ToList();
        // While it is made again the node is never shown Running: Pending (the reset marked it) or Creating (the
        // engine's first progress), whichever the stream's first snapshot caught.
        Assert.Contains(serverStates[0], new[] { "Pending", "Creating" });
        Assert.Equal("Running", serverStates[^1]);
        Assert.All(events, e => Assert.Equal("Running", PersistApi.NodeState(e, "client")));
        Assert.Equal([(id, "server")], engine.Resets);
        Assert.Equal(1, (await PersistApi.ProgressAsync(learner, id, Ct)).Done);
    }

    [Fact]
    public async Task ResetSession_WithClearProgress_ResetsEveryNode_AndClearsTheGuide()
    {
        var engine = new FakeLabEngine();
        await using var server = await ServerHost.StartWithFakeEngineAsync(engine, cancellationToken: Ct);
        var (learner, token) = await PersistApi.RunningTwoHostsAsync(server, engine, Ct);
        Assert.True((await learner.PostAsync($"/api/sessions/{token.SessionId}/guide/steps/fetch-page/check", null, Ct)).IsSuccessStatusCode);
        Assert.Equal(1, (await PersistApi.ProgressAsync(learner, token.SessionId, Ct)).Done);

        var response = await learner.PostAsJsonAsync($"/api/sessions/{token.SessionId}/reset", new { progress = "clear" }, Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var session = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal("Running", session.GetProperty("state").GetString());
        Assert.Equal(["server", "client"], engine.Resets.Select(r => r.Node));
        Assert.Equal(0, (await PersistApi.ProgressAsync(learner, token.SessionId, Ct)).Done);
    }

    [Theory]
    [InlineData("""{"node": "nosuch"}""", "node", "has no node 'nosuch'")]
    [InlineData("""{"progress": "maybe"}""", "progress", "use \"keep\" or \"clear\"")]
    [InlineData("""{"node": 5}""", "$.node", "not valid JSON")]
    public async Task Reset_BadBody_IsRefusedWithTheFieldAndTheFix(string body, string field, string detail)
    {
        var engine = new FakeLabEngine();
        await using var server = await ServerHost.StartWithFakeEngineAsync(engine, cancellationToken: Ct);
        var (learner, token) = await PersistApi.RunningTwoHostsAsync(server, engine, Ct);

        var response = await learner.PostAsync($"/api/sessions/{token.SessionId}/reset", new StringContent(body, System.Text.Encoding.UTF8, "application/json"), Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Contains(detail, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
        Assert.Empty(engine.Resets);
    }

    [Fact]
    public async Task Reset_OfAnotherLearnersSession_IsForbidden_AndOfAStoppedOne_IsAConflict()
    {
        var engine = new FakeLabEngine();
        await using var server = await ServerHost.StartWithFakeEngineAsync(engine, cancellationToken: Ct);
        var (learner, token) = await PersistApi.RunningTwoHostsAsync(server, engine, Ct);
        var (bob, _) = await server.UserAsync("bob", Roles.Learner, Ct);

        Assert.Equal(HttpStatusCode.Forbidden, (await bob.PostAsJsonAsync($"/api/sessions/{token.SessionId}/reset", new { }, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await learner.PostAsync($"/api/sessions/{token.SessionId}/stop", null, Ct)).StatusCode);
        var stopped = await learner.PostAsJsonAsync($"/api/sessions/{token.SessionId}/reset", new { }, Ct);

        Assert.Equal(HttpStatusCode.Conflict, stopped.StatusCode);
        Assert.Contains("only a running session can be reset", (await stopped.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Empty(engine.Resets);
    }

    [Fact]
    public async Task Reset_ThatTheEngineCannotFinish_FailsTheSessionWithAPlainReason()
    {
        var engine = new FakeLabEngine();
        await using var server = await ServerHost.StartWithFakeEngineAsync(engine, cancellationToken: Ct);
        var (learner, token) = await PersistApi.RunningTwoHostsAsync(server, engine, Ct);
        engine.ResetFailure = new Engines.EngineException("Podman: raw engine text");

        var response = await learner.PostAsJsonAsync($"/api/sessions/{token.SessionId}/reset", new { node = "client" }, Ct);

        var session = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal("Failed", session.GetProperty("state").GetString());
        Assert.Contains("could not be reset", session.GetProperty("failureReason").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain("raw engine text", session.ToString(), StringComparison.Ordinal);
    }
}
