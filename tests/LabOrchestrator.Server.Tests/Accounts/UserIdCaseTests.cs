using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using LabOrchestrator.Server.Accounts;

namespace LabOrchestrator.Server.Tests.Accounts;

/// <summary>Finding 9: "admin" and "ADMIN" could coexist. User ids are one id whatever their case.</summary>
public sealed class UserIdCaseTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("ADMIN")]
    [InlineData("Admin")]
    [InlineData("aDmIn")]
    public async Task CreatingAnIdThatDiffersOnlyInCase_Answers409(string id)
    {
        await using var server = await AccountsServer.StartAsync(Ct);
        var (root, _) = await server.UserAsync("root", Roles.Admin, Ct);

        using var create = await root.PostAsJsonAsync("/api/users", new { id, password = "another-password", role = Roles.Admin }, Ct);
        var users = await root.GetFromJsonAsync<JsonElement[]>("/api/users", Ct);

        Assert.Equal(HttpStatusCode.Conflict, create.StatusCode);
        Assert.Contains("admin", (await AccountsServer.ProblemAsync(create, Ct)).GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Single(users!, u => string.Equals(u.GetProperty("id").GetString(), "admin", StringComparison.OrdinalIgnoreCase));
    }

    [Theory]
    [InlineData("ADMIN")]
    [InlineData("Admin")]
    public async Task LoginInAnyCase_FindsTheOneUser_AndTheCookieCarriesItsId(string typed)
    {
        await using var server = await AccountsServer.StartAsync(Ct);
        using var browser = server.Anonymous();

        using var login = await AccountsServer.PostLoginAsync(browser, typed, AccountsServer.AdminPassword, Ct);
        var me = await browser.GetFromJsonAsync<JsonElement>("/api/auth/me", Ct);

        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        Assert.Equal("admin", me.GetProperty("id").GetString());
    }

    [Fact]
    public async Task AdminEndpoints_FindUsersInAnyCase()
    {
        await using var server = await AccountsServer.StartAsync(Ct);
        var (root, _) = await server.UserAsync("root", Roles.Admin, Ct);
        await server.UserAsync("lena", Roles.Learner, Ct);

        var user = await root.GetFromJsonAsync<JsonElement>("/api/users/LENA", Ct);
        using var patch = await root.PatchAsJsonAsync("/api/users/Lena", new { displayName = "Lena L." }, Ct);
        using var deleteSelf = await root.DeleteAsync("/api/users/ROOT", Ct);

        Assert.Equal("lena", user.GetProperty("id").GetString());
        Assert.Equal(HttpStatusCode.OK, patch.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, deleteSelf.StatusCode);
    }
}
