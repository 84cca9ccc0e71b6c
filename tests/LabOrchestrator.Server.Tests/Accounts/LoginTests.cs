using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using LabOrchestrator.Server.Accounts;
using LabOrchestrator.Server.Audit;
using Microsoft.Extensions.DependencyInjection;

namespace LabOrchestrator.Server.Tests.Accounts;

public sealed class LoginTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task CookieLogin_SetsHttpOnlyStrictCookie_AndMeReturnsTheRole()
    {
        await using var server = await AccountsServer.StartAsync(Ct);
        await server.UserAsync("ivan", Roles.Instructor, Ct);
        using var browser = server.Anonymous();

        using var login = await AccountsServer.PostLoginAsync(browser, "ivan", AccountsServer.UserPassword, Ct);
        var me = await browser.GetFromJsonAsync<JsonElement>("/api/auth/me", Ct);
        var profile = await browser.GetFromJsonAsync<JsonElement>("/api/me", Ct);

        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        var cookie = login.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("labo.auth=", StringComparison.Ordinal));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);
        var body = await login.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal("instructor", body.GetProperty("user").GetProperty("role").GetString());
        Assert.False(string.IsNullOrEmpty(body.GetProperty("csrfToken").GetString()));
        Assert.Equal("ivan", me.GetProperty("id").GetString());
        Assert.Equal("instructor", me.GetProperty("role").GetString());
        Assert.Equal("IVAN", profile.GetProperty("displayName").GetString());
    }

    [Fact]
    public async Task WrongPassword_And_UnknownUser_GiveTheSame401_AndAreAuditedAsFailed()
    {
        await using var server = await AccountsServer.StartAsync(Ct);
        await server.UserAsync("lena", Roles.Learner, Ct);
        using var browser = server.Anonymous();

        using var wrong = await AccountsServer.PostLoginAsync(browser, "lena", "not-her-password", Ct);
        using var unknown = await AccountsServer.PostLoginAsync(browser, "nobody", "not-her-password", Ct);
        using var me = await browser.GetAsync("/api/auth/me", Ct);

        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, unknown.StatusCode);
        Assert.Equal(
            (await AccountsServer.ProblemAsync(wrong, Ct)).GetProperty("detail").GetString(),
            (await AccountsServer.ProblemAsync(unknown, Ct)).GetProperty("detail").GetString());
        Assert.Equal(HttpStatusCode.Unauthorized, me.StatusCode);
        var failed = await server.Services.GetRequiredService<IAuditLog>().ListAsync(new AuditQuery { UserId = "lena", Action = AuditActions.LoginFailed }, Ct);
        Assert.Single(failed);
        Assert.Equal("127.0.0.1", failed[0].RemoteAddress);
    }

    [Fact]
    public async Task SuccessfulLogin_IsAudited()
    {
        await using var server = await AccountsServer.StartAsync(Ct);
        using var browser = server.Anonymous();

        await AccountsServer.LoginAsync(browser, "admin", AccountsServer.AdminPassword, Ct);

        var entries = await server.Services.GetRequiredService<IAuditLog>().ListAsync(new AuditQuery { Action = AuditActions.LoggedIn }, Ct);
        Assert.Equal("admin", Assert.Single(entries).UserId);
    }

    [Fact]
    public async Task SixthRapidLoginAttempt_Answers429WithRetryAfter()
    {
        await using var server = await AccountsServer.StartAsync(Ct);
        await server.UserAsync("lena", Roles.Learner, Ct);
        using var browser = server.Anonymous();

        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage? last = null;
        for (var i = 0; i < 6; i++)
        {
            last?.Dispose();
            last = await AccountsServer.PostLoginAsync(browser, "lena", "guess-number-" + i, Ct);
            statuses.Add(last.StatusCode);
        }

        Assert.All(statuses.Take(5), s => Assert.Equal(HttpStatusCode.Unauthorized, s));
        Assert.Equal(HttpStatusCode.TooManyRequests, statuses[5]);
        Assert.True(last!.Headers.RetryAfter?.Delta > TimeSpan.Zero);
        Assert.Contains("try again", (await AccountsServer.ProblemAsync(last, Ct)).GetProperty("detail").GetString(), StringComparison.Ordinal);
        last.Dispose();
    }

    [Fact]
    public async Task LoginLimit_IsPerUser_SoAnotherUserCanStillLogIn()
    {
        await using var server = await AccountsServer.StartAsync(Ct, new Dictionary<string, string?> { ["Auth:LoginAttempts"] = "1" });
        await server.UserAsync("lena", Roles.Learner, Ct);
        using var browser = server.Anonymous();

        using var first = await AccountsServer.PostLoginAsync(browser, "lena", "wrong-password", Ct);
        using var second = await AccountsServer.PostLoginAsync(browser, "lena", AccountsServer.UserPassword, Ct);
        using var other = await AccountsServer.PostLoginAsync(browser, "admin", AccountsServer.AdminPassword, Ct);

        Assert.Equal(HttpStatusCode.Unauthorized, first.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, second.StatusCode);
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
    }

    [Fact]
    public async Task MalformedJson_Answers400Problem()
    {
        await using var server = await AccountsServer.StartAsync(Ct);
        using var browser = server.Anonymous();

        using var response = await browser.PostAsync("/api/auth/login", new StringContent("{\"userId\": \"admin\", ", Encoding.UTF8, "application/json"), Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await AccountsServer.ProblemAsync(response, Ct);
        Assert.Contains("not valid JSON", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task MissingFields_Answer400WithErrorsPerField()
    {
        await using var server = await AccountsServer.StartAsync(Ct);
        using var browser = server.Anonymous();

        using var response = await browser.PostAsJsonAsync("/api/auth/login", new { }, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await AccountsServer.ProblemAsync(response, Ct)).GetProperty("errors");
        Assert.True(errors.TryGetProperty("userId", out _));
        Assert.True(errors.TryGetProperty("password", out _));
    }

    [Fact]
    public async Task Logout_EndsTheCookieLogin()
    {
        await using var server = await AccountsServer.StartAsync(Ct);
        using var browser = server.Anonymous();
        var csrf = await AccountsServer.LoginAsync(browser, "admin", AccountsServer.AdminPassword, Ct);

        using var logout = await browser.SendAsync(AccountsServer.Json(HttpMethod.Post, "/api/auth/logout", new { }, csrf), Ct);
        using var me = await browser.GetAsync("/api/auth/me", Ct);

        Assert.Equal(HttpStatusCode.NoContent, logout.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, me.StatusCode);
    }
}
