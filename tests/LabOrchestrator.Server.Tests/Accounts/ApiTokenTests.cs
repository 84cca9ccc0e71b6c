using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using LabOrchestrator.Server.Accounts;

namespace LabOrchestrator.Server.Tests.Accounts;

public sealed class ApiTokenTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task CreatedToken_Works_IsListedWithoutSecret_AndStopsWorkingWhenRevoked()
    {
        await using var server = await AccountsServer.StartAsync(Ct);
        var (lena, _) = await server.UserAsync("lena", Roles.Learner, Ct);

        using var create = await lena.PostAsJsonAsync("/api/me/tokens", new { name = "moodle", expiresInDays = 30 }, Ct);
        var created = await create.Content.ReadFromJsonAsync<JsonElement>(Ct);
        var secret = created.GetProperty("secret").GetString()!;
        var id = created.GetProperty("id").GetString()!;
        using var moodle = server.Anonymous();
        moodle.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", secret);
        var me = await moodle.GetFromJsonAsync<JsonElement>("/api/me", Ct);
        var listJson = await lena.GetStringAsync("/api/me/tokens", Ct);
        var list = JsonSerializer.Deserialize<JsonElement[]>(listJson)!;

        using var revoke = await lena.DeleteAsync($"/api/me/tokens/{id}", Ct);
        using var afterRevoke = await moodle.GetAsync("/api/me", Ct);
        using var revokeAgain = await lena.DeleteAsync($"/api/me/tokens/{id}", Ct);

        Assert.Equal(HttpStatusCode.Created, create.StatusCode);
        Assert.StartsWith("lot_", secret, StringComparison.Ordinal);
        Assert.True(created.GetProperty("expiresAt").GetDateTimeOffset() > DateTimeOffset.UtcNow.AddDays(29));
        Assert.Equal("lena", me.GetProperty("id").GetString());
        Assert.Equal(["moodle", "tests"], list.Select(t => t.GetProperty("name").GetString()).Order());
        Assert.DoesNotContain(secret, listJson, StringComparison.Ordinal);
        Assert.DoesNotContain("secret", listJson, StringComparison.OrdinalIgnoreCase);
        Assert.True(list.Single(t => t.GetProperty("id").GetString() == id).TryGetProperty("lastUsedAt", out _));
        Assert.Equal(HttpStatusCode.NoContent, revoke.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, afterRevoke.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, revokeAgain.StatusCode);
    }

    [Fact]
    public async Task RevokingSomeoneElsesToken_Answers404_AndTheirTokenKeepsWorking()
    {
        await using var server = await AccountsServer.StartAsync(Ct);
        var (lena, _) = await server.UserAsync("lena", Roles.Learner, Ct);
        var (mallory, _) = await server.UserAsync("mallory", Roles.Learner, Ct);
        var lenasToken = (await lena.GetFromJsonAsync<JsonElement[]>("/api/me/tokens", Ct))![0].GetProperty("id").GetString();

        using var revoke = await mallory.DeleteAsync($"/api/me/tokens/{lenasToken}", Ct);
        using var lenaStillWorks = await lena.GetAsync("/api/me", Ct);

        Assert.Equal(HttpStatusCode.NotFound, revoke.StatusCode);
        Assert.Equal(HttpStatusCode.OK, lenaStillWorks.StatusCode);
    }

    [Fact]
    public async Task CreateToken_WithoutNameOrWithBadExpiry_Answers400WithFieldErrors()
    {
        await using var server = await AccountsServer.StartAsync(Ct);
        var (lena, _) = await server.UserAsync("lena", Roles.Learner, Ct);

        using var noName = await lena.PostAsJsonAsync("/api/me/tokens", new { expiresInDays = 3 }, Ct);
        using var badExpiry = await lena.PostAsJsonAsync("/api/me/tokens", new { name = "x", expiresInDays = 0 }, Ct);

        Assert.True((await AccountsServer.ProblemAsync(noName, Ct)).GetProperty("errors").TryGetProperty("name", out _));
        Assert.True((await AccountsServer.ProblemAsync(badExpiry, Ct)).GetProperty("errors").TryGetProperty("expiresInDays", out _));
    }
}
