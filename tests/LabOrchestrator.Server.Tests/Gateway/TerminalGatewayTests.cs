using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text.Json;
using LabOrchestrator.Server.Accounts;
using LabOrchestrator.Server.Gateway;
using LabOrchestrator.Users;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace LabOrchestrator.Server.Tests.Gateway;

public sealed class TerminalGatewayTests(GatewayFixture fixture) : IClassFixture<GatewayFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Owner_TypesHostname_ReadsTheNodeNameBack()
    {
        await using var terminal = await TerminalClient.ConnectAsync(fixture.TerminalUri(fixture.SessionA.Id), fixture.LearnerASecret, Ct);

        await terminal.SendAsync("echo \"[$(hostname)]\"\r", Ct);

        Assert.True(await terminal.WaitForAsync("[linux]", Ct), terminal.Output);
    }

    [Fact]
    public async Task Terminal_LogsInAsTheLabsUser_InTheirHomeFolder()
    {
        // hello-linux says access.user: learner.
        await using var terminal = await TerminalClient.ConnectAsync(fixture.TerminalUri(fixture.SessionA.Id), fixture.LearnerASecret, Ct);

        await terminal.SendAsync("echo \"<$(whoami):$(pwd)>\"\r", Ct);

        Assert.True(await terminal.WaitForAsync("<learner:/home/learner>", Ct), terminal.Output);
    }

    [Fact]
    public async Task Owner_Resizes_SttySeesTheNewSize()
    {
        await using var terminal = await TerminalClient.ConnectAsync(fixture.TerminalUri(fixture.SessionA.Id), fixture.LearnerASecret, Ct);

        await terminal.ControlAsync("""{"type":"resize","cols":100,"rows":30}""", Ct);
        await terminal.SendAsync("echo \"<$(stty size)>\"\r", Ct);

        Assert.True(await terminal.WaitForAsync("<30 100>", Ct), terminal.Output);
    }

    [Fact]
    public async Task Terminal_WithoutCredentials_Is401()
    {
        Assert.Equal(HttpStatusCode.Unauthorized, await TerminalClient.RefusalAsync(fixture.TerminalUri(fixture.SessionA.Id), bearer: null, Ct));
    }

    [Fact]
    public async Task Terminal_OfAnotherLearnersSession_Is403()
    {
        Assert.Equal(HttpStatusCode.Forbidden, await TerminalClient.RefusalAsync(fixture.TerminalUri(fixture.SessionA.Id), fixture.LearnerBSecret, Ct));
    }

    [Fact]
    public async Task Terminal_UnknownSessionOrNode_Is404()
    {
        Assert.Equal(HttpStatusCode.NotFound, await TerminalClient.RefusalAsync(fixture.TerminalUri("nosuchsession"), fixture.LearnerASecret, Ct));
        Assert.Equal(HttpStatusCode.NotFound, await TerminalClient.RefusalAsync(fixture.TerminalUri(fixture.SessionA.Id, "nosuchnode"), fixture.LearnerASecret, Ct));
    }

    [Fact]
    public async Task AccessToken_OpensItsSessionsTerminal_WithoutAnyOtherCredential()
    {
        var issued = await IssueAsync(fixture.LearnerA, fixture.SessionA.Id, new { nodes = new[] { "linux" }, lifetimeSeconds = 60 });
        var url = issued.GetProperty("nodes").GetProperty("linux").GetProperty("terminal").GetString()!;

        await using var terminal = await TerminalClient.ConnectAsync(new Uri(url), bearer: null, Ct);
        await terminal.SendAsync("echo \"[$(hostname)]\"\r", Ct);

        Assert.StartsWith("lat_", issued.GetProperty("token").GetString(), StringComparison.Ordinal);
        Assert.False(issued.GetProperty("watch").GetBoolean());
        Assert.True(await terminal.WaitForAsync("[linux]", Ct), terminal.Output);
    }

    [Fact]
    public async Task AccessToken_IsRefused_OnAnotherSession_AnotherNode_WhenTampered_AndWhenExpired()
    {
        var token = (await IssueAsync(fixture.LearnerA, fixture.SessionA.Id, new { nodes = new[] { "linux" } })).GetProperty("token").GetString()!;
        var tampered = token[..6] + (token[6] == 'A' ? 'B' : 'A') + token[7..];
        // Issued by a "replica" sharing the key, one hour in the past: valid signature, expired.
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow.AddHours(-1));
        var replica = new AccessTokenService(
            Options.Create(new GatewayOptions { AccessTokenKeys = [new AccessTokenKey { Id = GatewayFixture.KeyId, Secret = GatewayFixture.KeySecret }] }),
            fixture.Server.Services.GetRequiredService<ISignInCheck>(),
            clock,
            NullLogger<AccessTokenService>.Instance);
        var alice = await fixture.SignInAsync("alice");
        var expired = replica.Issue(fixture.SessionA.Id, alice, null, [AccessKinds.Terminal], watch: false, TimeSpan.FromSeconds(60)).Token;
        clock.SetUtcNow(DateTimeOffset.UtcNow);
        var fresh = replica.Issue(fixture.SessionA.Id, alice, null, [AccessKinds.Terminal], watch: false, TimeSpan.FromSeconds(60)).Token;

        Assert.Equal(HttpStatusCode.Forbidden, await RefusalWithTokenAsync(fixture.SessionB.Id, "linux", token));
        Assert.Equal(HttpStatusCode.Forbidden, await RefusalWithTokenAsync(fixture.SessionA.Id, "other", token));
        Assert.Equal(HttpStatusCode.Unauthorized, await RefusalWithTokenAsync(fixture.SessionA.Id, "linux", tampered));
        Assert.Equal(HttpStatusCode.Unauthorized, await RefusalWithTokenAsync(fixture.SessionA.Id, "linux", expired));
        await using var accepted = await TerminalClient.ConnectAsync(fixture.TerminalUri(fixture.SessionA.Id, query: $"access_token={Uri.EscapeDataString(fresh)}"), null, Ct);
        Assert.Equal(WebSocketState.Open, accepted.Socket.State);
    }

    [Fact]
    public async Task AccessToken_ForAnotherLearnersSession_Is403_AndLifetimeOverAnHour_Is400()
    {
        using var tooLong = await fixture.LearnerA.PostAsJsonAsync($"/api/sessions/{fixture.SessionA.Id}/access", new { lifetimeSeconds = 3601 }, Ct);
        using var foreign = await fixture.LearnerB.PostAsJsonAsync($"/api/sessions/{fixture.SessionA.Id}/access", new { }, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, tooLong.StatusCode);
        Assert.Equal("application/problem+json", tooLong.Content.Headers.ContentType?.MediaType);
        var problem = await tooLong.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.True(problem.GetProperty("errors").TryGetProperty("lifetimeSeconds", out _));
        Assert.Equal(HttpStatusCode.Forbidden, foreign.StatusCode);
    }

    [Fact]
    public async Task Watcher_SeesTheOwnersOutput_AndItsKeystrokesNeverReachTheNode()
    {
        await using var owner = await TerminalClient.ConnectAsync(fixture.TerminalUri(fixture.SessionA.Id), fixture.LearnerASecret, Ct);
        await owner.SendAsync("echo ready-$((20+1))\r", Ct);
        Assert.True(await owner.WaitForAsync("ready-21", Ct), owner.Output);
        await using var watcher = await TerminalClient.ConnectAsync(fixture.TerminalUri(fixture.SessionA.Id, query: "mode=watch"), fixture.InstructorSecret, Ct);
        Assert.True(await watcher.WaitForAsync("\"attached\"", Ct), string.Join('\n', watcher.Controls));

        await watcher.SendAsync("touch /tmp/watcher-was-here\r", Ct);
        await owner.SendAsync("echo owner-typed-$((6*7))\r", Ct);

        Assert.True(await watcher.WaitForAsync("owner-typed-42", Ct), watcher.Output);
        var check = await fixture.Sessions.ExecAsync(fixture.SessionA.Id, "linux", ["test", "-e", "/tmp/watcher-was-here"], TimeSpan.FromSeconds(10), Ct);
        Assert.Equal(1, check.ExitCode);
        Assert.DoesNotContain("watcher-was-here", owner.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Watcher_WithoutAnOpenOwnerTerminal_WaitsAndAttachesWhenOneOpens()
    {
        await using var watcher = await TerminalClient.ConnectAsync(fixture.TerminalUri(fixture.SessionB.Id, query: "mode=watch"), fixture.InstructorSecret, Ct);
        Assert.True(await watcher.WaitForAsync("\"waiting\"", Ct), string.Join('\n', watcher.Controls));

        await using var owner = await TerminalClient.ConnectAsync(fixture.TerminalUri(fixture.SessionB.Id), fixture.LearnerBSecret, Ct);
        Assert.True(await watcher.WaitForAsync("\"attached\"", Ct), string.Join('\n', watcher.Controls));
        await owner.SendAsync("echo bob-$((3*3))\r", Ct);

        Assert.True(await watcher.WaitForAsync("bob-9", Ct), watcher.Output);
    }

    [Fact]
    public async Task StoppingTheSession_ClosesItsOpenTerminal_WithinTwoSeconds()
    {
        var session = await fixture.Sessions.StartAsync("hello-linux", new UserRef("alice"), cancellationToken: Ct);
        try
        {
            await using var terminal = await TerminalClient.ConnectAsync(fixture.TerminalUri(session.Id), fixture.LearnerASecret, Ct);
            await terminal.SendAsync("echo up-$((1+1))\r", Ct);
            Assert.True(await terminal.WaitForAsync("up-2", Ct), terminal.Output);

            var watch = Stopwatch.StartNew();
            var stopping = fixture.Sessions.StopAsync(session.Id, Ct);
            var status = await terminal.WaitForCloseAsync(Ct);
            var elapsed = watch.Elapsed;
            await stopping;

            Assert.Equal((WebSocketCloseStatus)4000, status);
            Assert.True(elapsed < TimeSpan.FromSeconds(2.5), $"closed after {elapsed.TotalMilliseconds:0} ms");
        }
        finally
        {
            await fixture.Sessions.StopAsync(session.Id, CancellationToken.None);
        }
    }

    private async Task<JsonElement> IssueAsync(HttpClient client, string sessionId, object body)
    {
        using var response = await client.PostAsJsonAsync($"/api/sessions/{sessionId}/access", body, Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
    }

    private Task<HttpStatusCode> RefusalWithTokenAsync(string sessionId, string node, string token) =>
        TerminalClient.RefusalAsync(fixture.TerminalUri(sessionId, node, $"access_token={Uri.EscapeDataString(token)}"), bearer: null, Ct);
}
