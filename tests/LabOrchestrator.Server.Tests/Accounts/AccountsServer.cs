using System.Net.Http.Json;
using System.Text.Json;
using LabOrchestrator.Server.Tests.Support;

namespace LabOrchestrator.Server.Tests.Accounts;

/// <summary>A server whose first admin has a known password, and helpers for browser-style (cookie) logins.</summary>
internal static class AccountsServer
{
    public const string AdminPassword = "admin-password-for-tests";
    public const string UserPassword = "correct-horse-battery";

    public static Task<ServerHost> StartAsync(CancellationToken cancellationToken, IDictionary<string, string?>? settings = null)
    {
        var all = new Dictionary<string, string?> { ["Auth:AdminPassword"] = AdminPassword };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }

        return ServerHost.StartAsync(all, cancellationToken);
    }

    public static Task<HttpResponseMessage> PostLoginAsync(HttpClient client, string userId, string password, CancellationToken cancellationToken) =>
        client.PostAsJsonAsync("/api/auth/login", new { userId, password }, cancellationToken);

    /// <summary>Logs the client in with the cookie and returns the anti-forgery token to send as X-CSRF-Token.</summary>
    public static async Task<string> LoginAsync(HttpClient client, string userId, string password, CancellationToken cancellationToken)
    {
        using var response = await PostLoginAsync(client, userId, password, cancellationToken);
        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
        return body.GetProperty("csrfToken").GetString()!;
    }

    /// <summary>
    /// Logs in and returns the cookies the server set, as a browser would send them back ("labo.auth=…; labo.csrf=…"),
    /// and the anti-forgery token: what an attacker who copies a browser's cookies holds.
    /// </summary>
    public static async Task<(string Cookies, string Csrf)> LoginCookiesAsync(ServerHost server, string userId, string password, CancellationToken cancellationToken)
    {
        using var client = server.Anonymous();
        using var response = await PostLoginAsync(client, userId, password, cancellationToken);
        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
        var cookies = string.Join("; ", response.Headers.GetValues("Set-Cookie").Select(c => c.Split(';')[0]));
        return (cookies, body.GetProperty("csrfToken").GetString()!);
    }

    /// <summary>A client that sends exactly these cookies on every request (and keeps no others).</summary>
    public static HttpClient WithCookies(ServerHost server, string cookies)
    {
        var client = new HttpClient(new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false }) { BaseAddress = server.Address };
        client.DefaultRequestHeaders.TryAddWithoutValidation("Cookie", cookies);
        return client;
    }

    public static HttpRequestMessage Json(HttpMethod method, string path, object body, string? csrfToken = null)
    {
        var request = new HttpRequestMessage(method, path) { Content = JsonContent.Create(body) };
        if (csrfToken is not null)
        {
            request.Headers.Add("X-CSRF-Token", csrfToken);
        }

        return request;
    }

    public static async Task<JsonElement> ProblemAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
    }
}
