using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using LabOrchestrator.Server.Accounts;
using LabOrchestrator.Server.Gateway;
using LabOrchestrator.Server.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace LabOrchestrator.Server.Tests.Accounts;

/// <summary>
/// Finding 4 (sign-ins never revoked) and the account side of finding 5 (access tokens outliving their owner), against
/// the real server: a cookie copied before an event, an API token and an access token made before it, each tried after.
/// Access tokens are tried on the gateway's terminal URL of a session that does not exist: a token that still holds gets
/// past authorisation to a 404, a refused one stops at 401 (no Podman needed).
/// </summary>
public sealed class SignInRevocationTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Logout_CookieCopiedBefore_IsRefused_InEveryBrowser_AndAccessTokensEnd_ButApiTokensStay()
    {
        await using var server = await AccountsServer.StartAsync(Ct);
        var (script, _) = await server.UserAsync("lena", Roles.Learner, Ct);
        var (cookies, csrf) = await AccountsServer.LoginCookiesAsync(server, "lena", AccountsServer.UserPassword, Ct);
        var (otherBrowser, _) = await AccountsServer.LoginCookiesAsync(server, "lena", AccountsServer.UserPassword, Ct);
        using var browser = AccountsServer.WithCookies(server, cookies);
        using var copy = AccountsServer.WithCookies(server, cookies);
        using var other = AccountsServer.WithCookies(server, otherBrowser);
        var accessToken = await IssueAccessTokenAsync(server, "lena");
        Assert.Equal(HttpStatusCode.OK, (await copy.GetAsync("/api/me", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, await TryAccessTokenAsync(server, accessToken));

        using var logout = await browser.SendAsync(AccountsServer.Json(HttpMethod.Post, "/api/auth/logout", new { }, csrf), Ct);

        Assert.Equal(HttpStatusCode.NoContent, logout.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await copy.GetAsync("/api/me", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await other.GetAsync("/api/me", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, await TryAccessTokenAsync(server, accessToken));
        Assert.Equal(HttpStatusCode.OK, (await script.GetAsync("/api/me", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await AccountsServer.PostLoginAsync(server.Anonymous(), "lena", AccountsServer.UserPassword, Ct)).StatusCode);
    }

    [Fact]
    public async Task PasswordChange_EndsCopiedCookies_ApiTokens_AndAccessTokens_ButTheChangingBrowserStaysLoggedIn()
    {
        await using var server = await AccountsServer.StartAsync(Ct);
        var (script, _) = await server.UserAsync("lena", Roles.Learner, Ct);
        using var browser = server.Anonymous();
        var csrf = await AccountsServer.LoginAsync(browser, "lena", AccountsServer.UserPassword, Ct);
        var (stolen, _) = await AccountsServer.LoginCookiesAsync(server, "lena", AccountsServer.UserPassword, Ct);
        using var thief = AccountsServer.WithCookies(server, stolen);
        var accessToken = await IssueAccessTokenAsync(server, "lena");

        using var change = await browser.SendAsync(
            AccountsServer.Json(HttpMethod.Post, "/api/me/password", new { currentPassword = AccountsServer.UserPassword, newPassword = "a-new-password" }, csrf), Ct);

        Assert.Equal(HttpStatusCode.NoContent, change.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await thief.GetAsync("/api/me", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await script.GetAsync("/api/me", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, await TryAccessTokenAsync(server, accessToken));
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/api/me", Ct)).StatusCode);
        using var csrfAgain = await browser.SendAsync(AccountsServer.Json(HttpMethod.Patch, "/api/me", new { displayName = "Lena" }, csrf), Ct);
        Assert.Equal(HttpStatusCode.OK, csrfAgain.StatusCode);
    }

    [Fact]
    public async Task AdminReset_EndsCopiedCookies_ApiTokens_AndAccessTokens()
    {
        await using var server = await AccountsServer.StartAsync(Ct);
        var (admin, _) = await server.UserAsync("root", Roles.Admin, Ct);
        var (script, _) = await server.UserAsync("lena", Roles.Learner, Ct);
        var (cookies, _) = await AccountsServer.LoginCookiesAsync(server, "lena", AccountsServer.UserPassword, Ct);
        using var copy = AccountsServer.WithCookies(server, cookies);
        var accessToken = await IssueAccessTokenAsync(server, "lena");

        using var reset = await admin.PostAsJsonAsync("/api/users/LENA/password", new { password = "brand-new-password" }, Ct);

        Assert.Equal(HttpStatusCode.NoContent, reset.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await copy.GetAsync("/api/me", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await script.GetAsync("/api/me", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, await TryAccessTokenAsync(server, accessToken));
    }

    [Fact]
    public async Task Disable_EndsCookies_ApiTokens_AndAccessTokens_AndReEnablingBringsNoneBack()
    {
        await using var server = await AccountsServer.StartAsync(Ct);
        var (admin, _) = await server.UserAsync("root", Roles.Admin, Ct);
        var (script, _) = await server.UserAsync("lena", Roles.Learner, Ct);
        var (cookies, _) = await AccountsServer.LoginCookiesAsync(server, "lena", AccountsServer.UserPassword, Ct);
        using var copy = AccountsServer.WithCookies(server, cookies);
        var accessToken = await IssueAccessTokenAsync(server, "lena");

        using var disable = await admin.PatchAsJsonAsync("/api/users/lena", new { disabled = true }, Ct);
        var disabledAccess = await TryAccessTokenAsync(server, accessToken);
        using var enable = await admin.PatchAsJsonAsync("/api/users/lena", new { disabled = false }, Ct);

        Assert.Equal(HttpStatusCode.OK, disable.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, disabledAccess);
        Assert.Equal(HttpStatusCode.OK, enable.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await copy.GetAsync("/api/me", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await script.GetAsync("/api/me", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, await TryAccessTokenAsync(server, accessToken));
        Assert.Equal(HttpStatusCode.OK, (await AccountsServer.PostLoginAsync(server.Anonymous(), "lena", AccountsServer.UserPassword, Ct)).StatusCode);
    }

    [Fact]
    public async Task Demotion_EndsCookiesAndAccessTokens_PromotionKeepsThem()
    {
        await using var server = await AccountsServer.StartAsync(Ct);
        var (admin, _) = await server.UserAsync("root", Roles.Admin, Ct);
        await server.UserAsync("ines", Roles.Learner, Ct);
        var (cookies, _) = await AccountsServer.LoginCookiesAsync(server, "ines", AccountsServer.UserPassword, Ct);
        using var browser = AccountsServer.WithCookies(server, cookies);

        using var promote = await admin.PatchAsJsonAsync("/api/users/ines", new { role = Roles.Instructor }, Ct);
        var afterPromotion = await browser.GetFromJsonAsync<JsonElement>("/api/auth/me", Ct);
        var accessToken = await IssueAccessTokenAsync(server, "ines");
        using var demote = await admin.PatchAsJsonAsync("/api/users/ines", new { role = Roles.Learner }, Ct);

        Assert.Equal(HttpStatusCode.OK, promote.StatusCode);
        Assert.Equal(Roles.Instructor, afterPromotion.GetProperty("role").GetString());
        Assert.Equal(HttpStatusCode.OK, demote.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.GetAsync("/api/me", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, await TryAccessTokenAsync(server, accessToken));
    }

    [Theory]
    [InlineData("lena")]
    [InlineData("LENA")]
    [InlineData("Lena")]
    public async Task DeletedUsersCookieAndAccessTokens_DoNotWork_ForANewUserWithTheSameId(string newId)
    {
        await using var server = await AccountsServer.StartAsync(Ct);
        var (admin, _) = await server.UserAsync("root", Roles.Admin, Ct);
        await server.UserAsync("lena", Roles.Learner, Ct);
        var (cookies, _) = await AccountsServer.LoginCookiesAsync(server, "lena", AccountsServer.UserPassword, Ct);
        using var copy = AccountsServer.WithCookies(server, cookies);
        var accessToken = await IssueAccessTokenAsync(server, "lena");

        using var delete = await admin.DeleteAsync("/api/users/lena", Ct);
        using var create = await admin.PostAsJsonAsync("/api/users", new { id = newId, password = "another-password", role = Roles.Admin }, Ct);

        Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);
        Assert.Equal(HttpStatusCode.Created, create.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await copy.GetAsync("/api/me", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await copy.GetAsync("/api/users", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, await TryAccessTokenAsync(server, accessToken));
    }

    [Fact]
    public async Task RevokedApiToken_EndsTheAccessTokensItMade_OnlyThose()
    {
        await using var server = await AccountsServer.StartAsync(Ct);
        var (lena, _) = await server.UserAsync("lena", Roles.Learner, Ct);
        using var create = await lena.PostAsJsonAsync("/api/me/tokens", new { name = "lti" }, Ct);
        var created = await create.Content.ReadFromJsonAsync<JsonElement>(Ct);
        var viaToken = await IssueAccessTokenAsync(server, "lena", created.GetProperty("id").GetString());
        var viaCookie = await IssueAccessTokenAsync(server, "lena");

        using var revoke = await lena.DeleteAsync($"/api/me/tokens/{created.GetProperty("id").GetString()}", Ct);

        Assert.Equal(HttpStatusCode.NoContent, revoke.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, await TryAccessTokenAsync(server, viaToken));
        Assert.Equal(HttpStatusCode.NotFound, await TryAccessTokenAsync(server, viaCookie));
    }

    /// <summary>An access token made as the user's current sign-in (as POST …/access does for a cookie or an API token).</summary>
    internal static async Task<string> IssueAccessTokenAsync(ServerHost server, string userId, string? apiTokenId = null)
    {
        var current = await server.Services.GetRequiredService<IAccountService>().GetSignInAsync(userId, Ct);
        var signIn = new SignIn(current!.User.Id, current.Stamp, apiTokenId);
        return server.Services.GetRequiredService<AccessTokenService>().Issue("no-such-session", signIn, null, [AccessKinds.Terminal], false, TimeSpan.FromMinutes(10)).Token;
    }

    /// <summary>401 when the gateway refuses the token; 404 when it accepts it (and then finds no such session).</summary>
    internal static async Task<HttpStatusCode> TryAccessTokenAsync(ServerHost server, string token)
    {
        using var client = server.Anonymous();
        using var response = await client.GetAsync($"/gateway/sessions/no-such-session/nodes/linux/terminal?access_token={Uri.EscapeDataString(token)}", Ct);
        return response.StatusCode;
    }
}
