using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using LabOrchestrator.Server.Accounts;

namespace LabOrchestrator.Server.Tests.Accounts;

public sealed class CsrfTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task CookiePost_WithoutCsrfHeader_Answers400SayingHowToGetOne()
    {
        await using var server = await AccountsServer.StartAsync(Ct);
        using var browser = server.Anonymous();
        await AccountsServer.LoginAsync(browser, "admin", AccountsServer.AdminPassword, Ct);

        using var response = await browser.SendAsync(AccountsServer.Json(HttpMethod.Post, "/api/me/tokens", new { name = "script" }), Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var detail = (await AccountsServer.ProblemAsync(response, Ct)).GetProperty("detail").GetString();
        Assert.Contains("X-CSRF-Token", detail, StringComparison.Ordinal);
        Assert.Contains("/api/auth/csrf", detail, StringComparison.Ordinal);
        Assert.Empty(await browser.GetFromJsonAsync<JsonElement[]>("/api/me/tokens", Ct) ?? []);
    }

    [Fact]
    public async Task CookiePost_WithWrongCsrfHeader_Answers400()
    {
        await using var server = await AccountsServer.StartAsync(Ct);
        using var browser = server.Anonymous();
        await AccountsServer.LoginAsync(browser, "admin", AccountsServer.AdminPassword, Ct);

        using var response = await browser.SendAsync(AccountsServer.Json(HttpMethod.Post, "/api/me/tokens", new { name = "script" }, "forged-token"), Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task CookiePost_WithCsrfHeaderFromLogin_Succeeds()
    {
        await using var server = await AccountsServer.StartAsync(Ct);
        using var browser = server.Anonymous();
        var csrf = await AccountsServer.LoginAsync(browser, "admin", AccountsServer.AdminPassword, Ct);

        using var response = await browser.SendAsync(AccountsServer.Json(HttpMethod.Post, "/api/me/tokens", new { name = "script" }, csrf), Ct);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    [Fact]
    public async Task CookieDelete_WithFreshTokenFromCsrfEndpoint_Succeeds()
    {
        await using var server = await AccountsServer.StartAsync(Ct);
        await server.UserAsync("lena", Roles.Learner, Ct);
        using var browser = server.Anonymous();
        await AccountsServer.LoginAsync(browser, "admin", AccountsServer.AdminPassword, Ct);
        var csrf = (await browser.GetFromJsonAsync<JsonElement>("/api/auth/csrf", Ct)).GetProperty("csrfToken").GetString();

        using var request = new HttpRequestMessage(HttpMethod.Delete, "/api/users/lena");
        request.Headers.Add("X-CSRF-Token", csrf);
        using var response = await browser.SendAsync(request, Ct);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
    }

    [Fact]
    public async Task BearerTokenPost_NeedsNoCsrfHeader()
    {
        await using var server = await AccountsServer.StartAsync(Ct);
        var (script, _) = await server.UserAsync("lena", Roles.Learner, Ct);

        using var response = await script.SendAsync(AccountsServer.Json(HttpMethod.Post, "/api/me/tokens", new { name = "another" }), Ct);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }
}
