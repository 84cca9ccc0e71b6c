using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using LabOrchestrator.Server.Accounts;

namespace LabOrchestrator.Server.Tests.Accounts;

public sealed class UserManagementTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Admin_CreatesListsAndGetsAUser()
    {
        await using var server = await AccountsServer.StartAsync(Ct);
        var (admin, _) = await server.UserAsync("root", Roles.Admin, Ct);

        using var created = await admin.PostAsJsonAsync("/api/users", new { id = "bob", displayName = "Bob", password = "bobs-password", role = "instructor" }, Ct);
        var list = await admin.GetFromJsonAsync<JsonElement[]>("/api/users", Ct);
        var bob = await admin.GetFromJsonAsync<JsonElement>("/api/users/bob", Ct);
        using var missing = await admin.GetAsync("/api/users/nobody", Ct);
        using var bobLogin = await AccountsServer.PostLoginAsync(server.Anonymous(), "bob", "bobs-password", Ct);

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal("/api/users/bob", created.Headers.Location?.ToString());
        Assert.Equal(["admin", "bob", "root"], list!.Select(u => u.GetProperty("id").GetString()));
        Assert.Equal("instructor", bob.GetProperty("role").GetString());
        Assert.False(bob.TryGetProperty("passwordHash", out _));
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal(HttpStatusCode.OK, bobLogin.StatusCode);
    }

    [Fact]
    public async Task CreateUser_WithUnknownRole_Answers400WithErrorsRole()
    {
        await using var server = await AccountsServer.StartAsync(Ct);
        var (admin, _) = await server.UserAsync("root", Roles.Admin, Ct);

        using var response = await admin.PostAsJsonAsync("/api/users", new { id = "bob", password = "bobs-password", role = "superuser" }, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await AccountsServer.ProblemAsync(response, Ct)).GetProperty("errors");
        Assert.Contains("learner", errors.GetProperty("role")[0].GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync("/api/users/bob", Ct)).StatusCode);
    }

    [Fact]
    public async Task CreateUser_WithTakenId_Answers409()
    {
        await using var server = await AccountsServer.StartAsync(Ct);
        var (admin, _) = await server.UserAsync("root", Roles.Admin, Ct);

        using var response = await admin.PostAsJsonAsync("/api/users", new { id = "admin", password = "another-password" }, Ct);

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
    }

    [Fact]
    public async Task UpdateRole_TakesEffectOnTheUsersNextRequest()
    {
        await using var server = await AccountsServer.StartAsync(Ct);
        var (admin, _) = await server.UserAsync("root", Roles.Admin, Ct);
        var (lena, _) = await server.UserAsync("lena", Roles.Learner, Ct);

        using var before = await lena.GetAsync("/api/audit", Ct);
        using var patch = await admin.PatchAsJsonAsync("/api/users/lena", new { role = "admin", displayName = "Lena L." }, Ct);
        using var after = await lena.GetAsync("/api/audit", Ct);

        Assert.Equal(HttpStatusCode.Forbidden, before.StatusCode);
        Assert.Equal(HttpStatusCode.OK, patch.StatusCode);
        var updated = await patch.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal("admin", updated.GetProperty("role").GetString());
        Assert.Equal("Lena L.", updated.GetProperty("displayName").GetString());
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
    }

    [Fact]
    public async Task DisableUser_StopsTheirTokenAndCookieAtOnce_AndEnablingRestoresOnlyTheLogin()
    {
        await using var server = await AccountsServer.StartAsync(Ct);
        var (admin, _) = await server.UserAsync("root", Roles.Admin, Ct);
        var (script, _) = await server.UserAsync("lena", Roles.Learner, Ct);
        using var browser = server.Anonymous();
        await AccountsServer.LoginAsync(browser, "lena", AccountsServer.UserPassword, Ct);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/api/me", Ct)).StatusCode);

        using var disable = await admin.PatchAsJsonAsync("/api/users/lena", new { disabled = true }, Ct);
        using var tokenAfter = await script.GetAsync("/api/me", Ct);
        using var cookieAfter = await browser.GetAsync("/api/me", Ct);
        using var loginAfter = await AccountsServer.PostLoginAsync(server.Anonymous(), "lena", AccountsServer.UserPassword, Ct);
        using var enable = await admin.PatchAsJsonAsync("/api/users/lena", new { disabled = false }, Ct);
        using var tokenEnabled = await script.GetAsync("/api/me", Ct);

        Assert.Equal(HttpStatusCode.OK, disable.StatusCode);
        Assert.True((await disable.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("disabled").GetBoolean());
        Assert.Equal(HttpStatusCode.Unauthorized, tokenAfter.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, cookieAfter.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, loginAfter.StatusCode);
        Assert.Equal(HttpStatusCode.OK, enable.StatusCode);
        // Disabling revoked the API tokens for good: tokens that may have leaked meanwhile must not come back.
        Assert.Equal(HttpStatusCode.Unauthorized, tokenEnabled.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await AccountsServer.PostLoginAsync(server.Anonymous(), "lena", AccountsServer.UserPassword, Ct)).StatusCode);
    }

    [Fact]
    public async Task ResetPassword_OldPasswordFails_NewOneWorks()
    {
        await using var server = await AccountsServer.StartAsync(Ct);
        var (admin, _) = await server.UserAsync("root", Roles.Admin, Ct);
        await server.UserAsync("lena", Roles.Learner, Ct);

        using var reset = await admin.PostAsJsonAsync("/api/users/lena/password", new { password = "brand-new-password" }, Ct);
        using var tooShort = await admin.PostAsJsonAsync("/api/users/lena/password", new { password = "short" }, Ct);
        using var oldLogin = await AccountsServer.PostLoginAsync(server.Anonymous(), "lena", AccountsServer.UserPassword, Ct);
        using var newLogin = await AccountsServer.PostLoginAsync(server.Anonymous(), "lena", "brand-new-password", Ct);

        Assert.Equal(HttpStatusCode.NoContent, reset.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, tooShort.StatusCode);
        Assert.True((await AccountsServer.ProblemAsync(tooShort, Ct)).GetProperty("errors").TryGetProperty("password", out _));
        Assert.Equal(HttpStatusCode.Unauthorized, oldLogin.StatusCode);
        Assert.Equal(HttpStatusCode.OK, newLogin.StatusCode);
    }

    [Fact]
    public async Task DeleteUser_RemovesThemAndTheirTokens()
    {
        await using var server = await AccountsServer.StartAsync(Ct);
        var (admin, _) = await server.UserAsync("root", Roles.Admin, Ct);
        var (lena, secret) = await server.UserAsync("lena", Roles.Learner, Ct);

        using var delete = await admin.DeleteAsync("/api/users/lena", Ct);
        using var get = await admin.GetAsync("/api/users/lena", Ct);
        using var token = await lena.GetAsync("/api/me", Ct);
        using var again = await admin.DeleteAsync("/api/users/lena", Ct);

        Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, get.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, token.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
    }

    [Fact]
    public async Task AdminCannotDeleteDisableOrDemoteThemselves()
    {
        await using var server = await AccountsServer.StartAsync(Ct);
        var (admin, _) = await server.UserAsync("root", Roles.Admin, Ct);

        using var delete = await admin.DeleteAsync("/api/users/root", Ct);
        using var disable = await admin.PatchAsJsonAsync("/api/users/root", new { disabled = true }, Ct);
        using var demote = await admin.PatchAsJsonAsync("/api/users/root", new { role = "learner" }, Ct);

        Assert.Equal(HttpStatusCode.Conflict, delete.StatusCode);
        Assert.Contains("yourself", (await AccountsServer.ProblemAsync(delete, Ct)).GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Conflict, disable.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, demote.StatusCode);
        Assert.Equal("admin", (await admin.GetFromJsonAsync<JsonElement>("/api/me", Ct)).GetProperty("role").GetString());
    }

    [Fact]
    public async Task PatchUser_WithWrongValueType_Answers400NamingTheField()
    {
        await using var server = await AccountsServer.StartAsync(Ct);
        var (admin, _) = await server.UserAsync("root", Roles.Admin, Ct);

        using var content = new StringContent("{\"disabled\": \"yes\"}", MediaTypeHeaderValue.Parse("application/json"));
        using var response = await admin.PatchAsync("/api/users/admin", content, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await AccountsServer.ProblemAsync(response, Ct)).GetProperty("errors").TryGetProperty("disabled", out _));
    }
}
