using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text.Json;
using LabOrchestrator.Persistence;
using LabOrchestrator.Server.Accounts;
using LabOrchestrator.Server.Gateway;
using LabOrchestrator.Server.Tests.Accounts;
using LabOrchestrator.Sessions;
using LabOrchestrator.Users;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LabOrchestrator.Server.Tests.Gateway;

/// <summary>
/// Findings 4 and 5 on the gateway, with real Podman sessions: ending a sign-in closes the terminals it opened at once and
/// its access tokens stop opening new ones; <c>{}</c> grants the terminal only; an access token never outlives the API token
/// that made it. Each test uses its own user and session, so that revoking one never disturbs another test.
/// </summary>
public sealed class GatewayRevocationTests(GatewayFixture fixture) : IClassFixture<GatewayFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Logout_ClosesTheTerminalOpenedWithItsAccessToken_AndTheTokenOpensNoOther()
    {
        var session = await OwnSessionAsync("carol");
        try
        {
            var (cookies, csrf) = await AccountsServer.LoginCookiesAsync(fixture.Server, "carol", AccountsServer.UserPassword, Ct);
            using var browser = AccountsServer.WithCookies(fixture.Server, cookies);
            var url = await TerminalUrlAsync(browser, session.Id, csrf);
            await using var terminal = await OpenAsync(url);

            using var logout = await browser.SendAsync(AccountsServer.Json(HttpMethod.Post, "/api/auth/logout", new { }, csrf), Ct);
            var (status, elapsed) = await ClosedAsync(terminal);

            Assert.Equal(HttpStatusCode.NoContent, logout.StatusCode);
            Assert.Equal((WebSocketCloseStatus)GatewayClose.SignInEndedCode, status);
            Assert.True(elapsed < TimeSpan.FromSeconds(2), $"closed after {elapsed.TotalMilliseconds:0} ms");
            Assert.Equal(HttpStatusCode.Unauthorized, await TerminalClient.RefusalAsync(new Uri(url), null, Ct));
        }
        finally
        {
            await fixture.Sessions.StopAsync(session.Id, CancellationToken.None);
        }
    }

    [Fact]
    public async Task DisablingTheUser_ClosesTheirTerminals_AndTheirAccessTokenIsRefused()
    {
        var session = await OwnSessionAsync("dave");
        try
        {
            var script = await ClientAsync("dave");
            var url = await TerminalUrlAsync(script.Client, session.Id);
            await using var viaAccessToken = await OpenAsync(url);
            await using var viaApiToken = await TerminalClient.ConnectAsync(fixture.TerminalUri(session.Id), script.Secret, Ct);

            await fixture.Server.Services.GetRequiredService<IAccountService>().UpdateUserAsync("dave", new UserUpdate { Disabled = true }, Ct);
            var (first, elapsed) = await ClosedAsync(viaAccessToken);
            var (second, _) = await ClosedAsync(viaApiToken);

            Assert.Equal((WebSocketCloseStatus)GatewayClose.SignInEndedCode, first);
            Assert.Equal((WebSocketCloseStatus)GatewayClose.SignInEndedCode, second);
            Assert.True(elapsed < TimeSpan.FromSeconds(2), $"closed after {elapsed.TotalMilliseconds:0} ms");
            Assert.Equal(HttpStatusCode.Unauthorized, await TerminalClient.RefusalAsync(new Uri(url), null, Ct));
        }
        finally
        {
            await fixture.Sessions.StopAsync(session.Id, CancellationToken.None);
        }
    }

    [Fact]
    public async Task RevokingAnApiToken_ClosesWhatItOpened_AndEndsItsAccessTokens_ButNotTheOtherTokensConnections()
    {
        var session = await OwnSessionAsync("erin");
        try
        {
            var first = await ClientAsync("erin");
            var accounts = fixture.Server.Services.GetRequiredService<IAccountService>();
            var second = await accounts.CreateApiTokenAsync("erin", "second", cancellationToken: Ct);
            using var secondClient = fixture.Server.Anonymous();
            secondClient.DefaultRequestHeaders.Authorization = new("Bearer", second.Secret);
            var url = await TerminalUrlAsync(secondClient, session.Id);
            await using var viaAccessToken = await OpenAsync(url);
            await using var viaSecond = await TerminalClient.ConnectAsync(fixture.TerminalUri(session.Id), second.Secret, Ct);
            await using var viaFirst = await TerminalClient.ConnectAsync(fixture.TerminalUri(session.Id), first.Secret, Ct);

            Assert.True(await accounts.RevokeApiTokenAsync("erin", second.Id, Ct));
            var (closedAccess, _) = await ClosedAsync(viaAccessToken);
            var (closedSecond, _) = await ClosedAsync(viaSecond);
            await viaFirst.SendAsync("echo still-$((40+2))\r", Ct);

            Assert.Equal((WebSocketCloseStatus)GatewayClose.SignInEndedCode, closedAccess);
            Assert.Equal((WebSocketCloseStatus)GatewayClose.SignInEndedCode, closedSecond);
            Assert.True(await viaFirst.WaitForAsync("still-42", Ct), viaFirst.Output);
            Assert.Equal(HttpStatusCode.Unauthorized, await TerminalClient.RefusalAsync(new Uri(url), null, Ct));
        }
        finally
        {
            await fixture.Sessions.StopAsync(session.Id, CancellationToken.None);
        }
    }

    [Fact]
    public async Task SignInEndedOnAnotherReplica_ClosesTheTerminal_WithinTheUserCheckInterval()
    {
        var session = await OwnSessionAsync("fay");
        try
        {
            var script = await ClientAsync("fay");
            await using var terminal = await OpenAsync(await TerminalUrlAsync(script.Client, session.Id));

            // Another replica logged fay out: the stamp changes in the database, and nothing here is told.
            var contexts = fixture.Server.Services.GetRequiredService<IDbContextFactory<LabOrchestratorDbContext>>();
            await using (var db = await contexts.CreateDbContextAsync(Ct))
            {
                var stamp = UserEntity.NewSecurityStamp();
                await db.Users.Where(u => u.Id == "fay").ExecuteUpdateAsync(u => u.SetProperty(x => x.SecurityStamp, stamp), Ct);
            }

            var (status, elapsed) = await ClosedAsync(terminal);

            Assert.Equal((WebSocketCloseStatus)GatewayClose.SignInEndedCode, status);
            Assert.True(elapsed < new AuthOptions().UserCheckInterval + TimeSpan.FromSeconds(2), $"closed after {elapsed.TotalMilliseconds:0} ms");
        }
        finally
        {
            await fixture.Sessions.StopAsync(session.Id, CancellationToken.None);
        }
    }

    [Fact]
    public async Task EmptyRequest_GrantsTheTerminalOnly_AsDocumented()
    {
        using var response = await fixture.LearnerA.PostAsJsonAsync($"/api/sessions/{fixture.SessionA.Id}/access", new { }, Ct);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        var token = body.GetProperty("token").GetString()!;
        var grant = fixture.Server.Services.GetRequiredService<AccessTokenService>().Read(token);
        var desktop = new Uri($"ws://{fixture.Server.Address.Authority}/gateway/sessions/{fixture.SessionA.Id}/nodes/linux/desktop?access_token={Uri.EscapeDataString(token)}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal([AccessKinds.Terminal], grant!.Kinds);
        Assert.False(body.GetProperty("nodes").GetProperty("linux").TryGetProperty("ports", out var ports) && ports.ValueKind != JsonValueKind.Null);
        Assert.Equal(HttpStatusCode.Forbidden, await TerminalClient.RefusalAsync(desktop, null, Ct));
    }

    [Fact]
    public async Task AccessToken_MadeWithAnApiTokenThatExpiresSoon_ExpiresWithIt()
    {
        var accounts = fixture.Server.Services.GetRequiredService<IAccountService>();
        var expires = DateTimeOffset.UtcNow.AddMinutes(10);
        var shortLived = await accounts.CreateApiTokenAsync("alice", "ten minutes", expires, Ct);
        using var client = fixture.Server.Anonymous();
        client.DefaultRequestHeaders.Authorization = new("Bearer", shortLived.Secret);

        using var response = await client.PostAsJsonAsync($"/api/sessions/{fixture.SessionA.Id}/access", new { lifetimeSeconds = 3600 }, Ct);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(body.GetProperty("expiresAt").GetDateTimeOffset() <= expires, body.GetProperty("expiresAt").ToString());
        Assert.True(await accounts.RevokeApiTokenAsync("alice", shortLived.Id, Ct));
    }

    private async Task<Session> OwnSessionAsync(string userId)
    {
        await fixture.Server.UserAsync(userId, Roles.Learner, Ct);
        var session = await fixture.Sessions.StartAsync("hello-linux", new UserRef(userId), cancellationToken: Ct);
        Assert.Equal(SessionState.Running, session.State);
        return session;
    }

    private async Task<(HttpClient Client, string Secret)> ClientAsync(string userId)
    {
        var token = await fixture.Server.Services.GetRequiredService<IAccountService>().CreateApiTokenAsync(userId, "script", cancellationToken: Ct);
        var client = fixture.Server.Anonymous();
        client.DefaultRequestHeaders.Authorization = new("Bearer", token.Secret);
        return (client, token.Secret);
    }

    private static async Task<string> TerminalUrlAsync(HttpClient client, string sessionId, string? csrf = null)
    {
        using var response = await client.SendAsync(AccountsServer.Json(HttpMethod.Post, $"/api/sessions/{sessionId}/access", new { }, csrf), Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("nodes").GetProperty("linux").GetProperty("terminal").GetString()!;
    }

    private static async Task<TerminalClient> OpenAsync(string url)
    {
        var terminal = await TerminalClient.ConnectAsync(new Uri(url), bearer: null, Ct);
        await terminal.SendAsync("echo up-$((1+1))\r", Ct);
        Assert.True(await terminal.WaitForAsync("up-2", Ct), terminal.Output);
        return terminal;
    }

    private static async Task<(WebSocketCloseStatus? Status, TimeSpan Elapsed)> ClosedAsync(TerminalClient terminal)
    {
        var watch = Stopwatch.StartNew();
        var status = await terminal.WaitForCloseAsync(Ct);
        return (status, watch.Elapsed);
    }
}
