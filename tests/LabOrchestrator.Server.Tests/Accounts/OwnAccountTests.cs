using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using LabOrchestrator.Server.Accounts;

namespace LabOrchestrator.Server.Tests.Accounts;

public sealed class OwnAccountTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ChangeOwnPassword_WithWrongCurrentPassword_Answers400WithErrorsCurrentPassword()
    {
        await using var server = await AccountsServer.StartAsync(Ct);
        var (lena, _) = await server.UserAsync("lena", Roles.Learner, Ct);

        using var response = await lena.PostAsJsonAsync("/api/me/password", new { currentPassword = "not-my-password", newPassword = "a-new-password" }, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await AccountsServer.ProblemAsync(response, Ct)).GetProperty("errors").TryGetProperty("currentPassword", out _));
    }

    [Fact]
    public async Task ChangeOwnPassword_WithCookie_OldPasswordFailsAndNewOneWorks()
    {
        await using var server = await AccountsServer.StartAsync(Ct);
        await server.UserAsync("lena", Roles.Learner, Ct);
        using var browser = server.Anonymous();
        var csrf = await AccountsServer.LoginAsync(browser, "lena", AccountsServer.UserPassword, Ct);

        using var change = await browser.SendAsync(
            AccountsServer.Json(HttpMethod.Post, "/api/me/password", new { currentPassword = AccountsServer.UserPassword, newPassword = "a-new-password" }, csrf), Ct);
        using var oldLogin = await AccountsServer.PostLoginAsync(server.Anonymous(), "lena", AccountsServer.UserPassword, Ct);
        using var newLogin = await AccountsServer.PostLoginAsync(server.Anonymous(), "lena", "a-new-password", Ct);

        Assert.Equal(HttpStatusCode.NoContent, change.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, oldLogin.StatusCode);
        Assert.Equal(HttpStatusCode.OK, newLogin.StatusCode);
    }

    [Fact]
    public async Task ChangeOwnPassword_WithTooShortNewPassword_Answers400WithErrorsNewPassword()
    {
        await using var server = await AccountsServer.StartAsync(Ct);
        var (lena, _) = await server.UserAsync("lena", Roles.Learner, Ct);

        using var response = await lena.PostAsJsonAsync("/api/me/password", new { currentPassword = AccountsServer.UserPassword, newPassword = "short" }, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await AccountsServer.ProblemAsync(response, Ct)).GetProperty("errors").TryGetProperty("newPassword", out _));
    }

    [Fact]
    public async Task UpdateOwnDisplayName_IsShownByMe_AndCannotChangeTheRole()
    {
        await using var server = await AccountsServer.StartAsync(Ct);
        var (lena, _) = await server.UserAsync("lena", Roles.Learner, Ct);

        using var patch = await lena.PatchAsJsonAsync("/api/me", new { displayName = "Lena Lovelace", role = "admin" }, Ct);
        var me = await lena.GetFromJsonAsync<JsonElement>("/api/me", Ct);

        Assert.Equal(HttpStatusCode.OK, patch.StatusCode);
        Assert.Equal("Lena Lovelace", me.GetProperty("displayName").GetString());
        Assert.Equal("learner", me.GetProperty("role").GetString());
    }
}
