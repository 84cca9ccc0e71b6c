using System.Net;
using System.Net.Http.Headers;
using System.Net.WebSockets;
using System.Text;
using LabOrchestrator.Server.Gateway;
using LabOrchestrator.Server.Tests.Sessions;
using LabOrchestrator.Sessions;
using LabOrchestrator.Users;
using Microsoft.Extensions.DependencyInjection;
using static LabOrchestrator.Server.Tests.Gateway.WebPortFixture;

namespace LabOrchestrator.Server.Tests.Gateway;

/// <summary>Web ports on origins of their own, through the gateway to real Podman sessions (issue 11, findings 3 and 6).</summary>
[Collection(PodmanSessions.Name)]
public sealed class WebPortTests(WebPortFixture fixture) : IClassFixture<WebPortFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task WebPort_TokenExchangedForHostCookie_ThenPagesAndWebSocketsPassOnItsOwnOrigin()
    {
        var origin = fixture.Origin(fixture.SessionA);
        var tokenUrl = await fixture.TokenUrlAsync(fixture.Lea, fixture.SessionA, ct: Ct);
        Assert.Equal(origin.GetLeftPart(UriPartial.Authority), tokenUrl.GetLeftPart(UriPartial.Authority));
        Assert.StartsWith("?access_token=lat_", tokenUrl.Query, StringComparison.Ordinal);

        using var browser = Browser();
        var exchanged = await browser.GetAsync(tokenUrl, Ct);
        Assert.Equal(HttpStatusCode.Redirect, exchanged.StatusCode);
        Assert.Equal("/", exchanged.Headers.Location?.OriginalString);
        var setCookie = Assert.Single(exchanged.Headers.GetValues("Set-Cookie"));
        Assert.StartsWith("labo-port=lat_", setCookie, StringComparison.Ordinal);
        Assert.Contains("path=/;", setCookie + ";", StringComparison.OrdinalIgnoreCase);
        Assert.Contains("httponly", setCookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=lax", setCookie, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("domain", setCookie, StringComparison.OrdinalIgnoreCase);
        var cookie = setCookie.Split(';')[0];

        Assert.Contains("<h1>web node</h1>", await (await browser.SendAsync(Get(origin, cookie), Ct)).Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        var page = await browser.SendAsync(Get(new Uri(origin, "/cgi-bin/echo?x=1"), cookie), Ct);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var body = await page.Content.ReadAsStringAsync(Ct);
        Assert.Contains("uri=/cgi-bin/echo?x=1\n", body, StringComparison.Ordinal);
        Assert.Contains($"session={fixture.SessionA.Id}\n", body, StringComparison.Ordinal);
        Assert.DoesNotContain("HTTP_COOKIE", body, StringComparison.Ordinal);
        // The application's cookie stays on the port's own host.
        Assert.Equal("app=1; Path=/", Assert.Single(page.Headers.GetValues("Set-Cookie")));

        // Redirects to the application's own (upstream) address stay on the port's origin.
        var moved = await browser.SendAsync(Get(new Uri(origin, "/cgi-bin/echo?redirect"), cookie), Ct);
        Assert.Equal(HttpStatusCode.Found, moved.StatusCode);
        Assert.Equal("/cgi-bin/echo?from=redirect", moved.Headers.Location?.OriginalString);

        // The application sees the request's own path and query, and its upstream address as Host.
        var head = await (await browser.SendAsync(Get(new Uri(fixture.Origin(fixture.SessionA, port: 8001), "/a/b?c=d"), await fixture.CookieAsync(fixture.Lea, fixture.SessionA, port: "raw", ct: Ct)), Ct)).Content.ReadAsStringAsync(Ct);
        Assert.StartsWith("GET /a/b?c=d HTTP/1.1\n", head, StringComparison.Ordinal);

        using var socket = new ClientWebSocket();
        socket.Options.SetRequestHeader("Cookie", await fixture.CookieAsync(fixture.Lea, fixture.SessionA, port: "raw", ct: Ct));
        var wsOrigin = fixture.Origin(fixture.SessionA, port: 8001);
        await socket.ConnectAsync(new Uri($"ws://{wsOrigin.Authority}/"), new HttpMessageInvoker(LoopbackHandler()), Ct);
        await socket.SendAsync(Encoding.UTF8.GetBytes("hello"), WebSocketMessageType.Text, true, Ct);
        var buffer = new byte[256];
        var received = await socket.ReceiveAsync(buffer, Ct);
        Assert.Equal("echo:hello", Encoding.UTF8.GetString(buffer, 0, received.Count));
    }

    [Fact]
    public async Task PortOrigin_AnotherSessionsPort_IsRefused_EvenWithCredentialsOfAUserWhoMaySeeBoth()
    {
        var originA = fixture.Origin(fixture.SessionA);
        var originB = fixture.Origin(fixture.SessionB);
        Assert.NotEqual(originA.Host, originB.Host);
        using var browser = Browser();

        // The instructor may see both sessions: a token or cookie for B still opens nothing on A's origin.
        var tokenForB = await fixture.TokenUrlAsync(fixture.Ines, fixture.SessionB, ct: Ct);
        Assert.Equal(HttpStatusCode.Forbidden, (await browser.GetAsync(new Uri(originA, tokenForB.Query), Ct)).StatusCode);
        var cookieForB = await fixture.CookieAsync(fixture.Ines, fixture.SessionB, ct: Ct);
        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.SendAsync(Get(originA, cookieForB), Ct)).StatusCode);
        // Nor on the same session's other node, or another port's origin of its cookie's node, with a token for one node.
        var cookieForA = await fixture.CookieAsync(fixture.Ines, fixture.SessionA, ct: Ct);
        Assert.Equal(HttpStatusCode.Forbidden, (await browser.SendAsync(Get(fixture.Origin(fixture.SessionA, "plain"), cookieForA), Ct)).StatusCode);

        // A's origin serves A's node only: the path-based address of B's port is just a path of A's application.
        var viaPath = await (await browser.SendAsync(Get(new Uri(originA, $"/gateway/sessions/{fixture.SessionB.Id}/nodes/web/ports/8000/cgi-bin/echo"), cookieForA), Ct)).Content.ReadAsStringAsync(Ct);
        Assert.DoesNotContain($"session={fixture.SessionB.Id}", viaPath, StringComparison.Ordinal);

        // The login cookie and API tokens count for nothing on port origins, not even the owner's.
        var apiToken = Get(originA);
        apiToken.Headers.Authorization = new AuthenticationHeaderValue("Bearer", fixture.LeaSecret);
        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.SendAsync(apiToken, Ct)).StatusCode);
        using var login = fixture.Server.Anonymous();
        var signedIn = await login.PostAsync("/api/auth/login", JsonContent("""{"userId":"lea","password":"correct-horse-battery"}"""), Ct);
        Assert.Equal(HttpStatusCode.OK, signedIn.StatusCode);
        var loginCookie = string.Join("; ", signedIn.Headers.GetValues("Set-Cookie").Select(c => c.Split(';')[0]));
        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.SendAsync(Get(originA, loginCookie), Ct)).StatusCode);

        // Host names that name no port, and the web-ports listener's other names, serve nothing.
        foreach (var host in new[] { "127.0.0.1", "ports.localhost", $"{fixture.SessionA.Id}.ports.localhost", $"{originA.Host[..originA.Host.IndexOf('.')]}.elsewhere.test", $"{fixture.SessionB.Id}-web-9999.ports.localhost" })
        {
            var status = (await browser.SendAsync(Get(new Uri($"http://{host}:{fixture.PortsPort}/"), cookieForA), Ct)).StatusCode;
            Assert.True(status is HttpStatusCode.NotFound or HttpStatusCode.Unauthorized, $"{host}: {status}");
        }

        // The main origin sends the old path-based URLs to the port's own origin, and serves no page of it.
        var legacy = await fixture.Lea.GetAsync($"/gateway/sessions/{fixture.SessionA.Id}/nodes/web/ports/8000/cgi-bin/echo?x=1", Ct);
        Assert.Equal(HttpStatusCode.TemporaryRedirect, legacy.StatusCode);
        Assert.Equal(new Uri(originA, "/cgi-bin/echo?x=1"), legacy.Headers.Location);

        // Bob, who may not see A's session, gets no token for it.
        Assert.Equal(HttpStatusCode.Forbidden, (await fixture.Bob.PostAsync($"/api/sessions/{fixture.SessionA.Id}/access", JsonContent("{}"), Ct)).StatusCode);
    }

    [Fact]
    public async Task WebPort_DangerousResponseHeadersOfTheApplication_NeverReachTheBrowser()
    {
        var cookie = await fixture.CookieAsync(fixture.Lea, fixture.SessionA, ct: Ct);
        using var browser = Browser();
        var response = await browser.SendAsync(Get(new Uri(fixture.Origin(fixture.SessionA), "/cgi-bin/hostile"), cookie), Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("hostile\n", await response.Content.ReadAsStringAsync(Ct));
        var names = response.Headers.Select(h => h.Key).Concat(response.Content.Headers.Select(h => h.Key)).ToList();
        foreach (var dropped in WebPortHeaders.DroppedResponse.Append("X-Hop"))
        {
            Assert.DoesNotContain(dropped, names, StringComparer.OrdinalIgnoreCase);
        }

        Assert.Equal("kept", Assert.Single(response.Headers.GetValues("X-App")));
        // Cookies named like Lab Orchestrator's or carrying its tokens are dropped; the others lose their Domain.
        Assert.Equal("own=1; Path=/", Assert.Single(response.Headers.GetValues("Set-Cookie")));
    }

    private const string Secret = "SECRETVALUE123";

    /// <summary>A header and the start of its value; the test appends <see cref="Secret"/> (Basic: already inside, base64-encoded).</summary>
    public static TheoryData<string, string> CredentialVariants => new()
    {
        { "Authorization", "Bearer lot_" },
        { "Authorization", "bearer lot_" },
        { "Authorization", "BEARER LOT_" },
        { "Authorization", "Bearer  Lot_" },
        { "Authorization", "Token lat_" },
        { "Authorization", "lat_" },
        { "Authorization", "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("user:lot_" + Secret)) + " " },
        { "Cookie", "labo.auth=" },
        { "Cookie", "LABO.AUTH=" },
        { "Cookie", "Labo.Csrf=" },
        { "Cookie", "labo%2Eauth=" },
        { "Cookie", " labo-port =" },
        { "Cookie", "__Host-labo-port=" },
        { "Cookie", ".AspNetCore.Cookies=" },
        { "Cookie", ".ASPNETCORE.ANTIFORGERY.x=" },
        { "Cookie", "innocent=lat_" },
        { "Cookie", "innocent=LOT_" },
    };

    [Theory]
    [MemberData(nameof(CredentialVariants))]
    public async Task WebPort_OrchestratorCredentialInAnyCase_NeverReachesTheApplication(string header, string prefix)
    {
        var cookie = await fixture.CookieAsync(fixture.Lea, fixture.SessionA, port: "raw", ct: Ct);
        using var browser = Browser();
        var request = Get(fixture.Origin(fixture.SessionA, port: 8001));
        if (header == "Cookie")
        {
            request.Headers.TryAddWithoutValidation("Cookie", $"{cookie}; {prefix}{Secret}; mine=kept");
        }
        else
        {
            request.Headers.TryAddWithoutValidation("Cookie", $"{cookie}; mine=kept");
            request.Headers.TryAddWithoutValidation(header, prefix.EndsWith(' ') ? prefix.Trim() : prefix + Secret);
        }

        var response = await browser.SendAsync(request, Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync(Ct);
        Assert.DoesNotContain(Secret, body, StringComparison.Ordinal);
        Assert.DoesNotContain("lat_", body, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("\nCookie: mine=kept\n", body, StringComparison.Ordinal);
        Assert.DoesNotContain("\nAuthorization:", body, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task WebPort_ApplicationsOwnAuthorization_PassesThrough()
    {
        var cookie = await fixture.CookieAsync(fixture.Lea, fixture.SessionA, port: "raw", ct: Ct);
        using var browser = Browser();
        var request = Get(fixture.Origin(fixture.SessionA, port: 8001), cookie);
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", "dXNlcjpwYXNz");
        var body = await (await browser.SendAsync(request, Ct)).Content.ReadAsStringAsync(Ct);
        Assert.Contains("\nAuthorization: Basic dXNlcjpwYXNz\n", body, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("access_token")]
    [InlineData("ACCESS_TOKEN")]
    [InlineData("Access_Token")]
    [InlineData("access%5Ftoken")]
    [InlineData("access%5fTOKEN")]
    [InlineData("access_token%20")]
    public async Task WebPort_AccessTokenParameterInAnyCase_IsExchangedOnce_AndNeverForwarded(string name)
    {
        var origin = fixture.Origin(fixture.SessionA);
        var token = Uri.UnescapeDataString((await fixture.TokenUrlAsync(fixture.Lea, fixture.SessionA, ct: Ct)).Query["?access_token=".Length..]);
        using var browser = Browser();

        // GET: one redirect to the same address without the token, which then answers (no loop).
        var exchanged = await browser.GetAsync(new Uri(origin, $"/cgi-bin/echo?a=1&{name}={Uri.EscapeDataString(token)}&b=2"), Ct);
        Assert.Equal(HttpStatusCode.Redirect, exchanged.StatusCode);
        Assert.Equal("/cgi-bin/echo?a=1&b=2", exchanged.Headers.Location?.OriginalString);
        var cookie = exchanged.Headers.GetValues("Set-Cookie").Single().Split(';')[0];
        var followed = await browser.SendAsync(Get(new Uri(origin, exchanged.Headers.Location!.OriginalString), cookie), Ct);
        Assert.Equal(HttpStatusCode.OK, followed.StatusCode);

        // The same token URL again: refused without the cookie, only stripped with it.
        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.GetAsync(new Uri(origin, $"/?{name}={Uri.EscapeDataString(token)}"), Ct)).StatusCode);
        var again = await browser.SendAsync(Get(new Uri(origin, $"/?{name}={Uri.EscapeDataString(token)}"), cookie), Ct);
        Assert.Equal(HttpStatusCode.Redirect, again.StatusCode);
        Assert.Equal("/", again.Headers.Location?.OriginalString);

        // POST: forwarded at once, without the token.
        var fresh = Uri.UnescapeDataString((await fixture.TokenUrlAsync(fixture.Lea, fixture.SessionA, ct: Ct)).Query["?access_token=".Length..]);
        var posted = await browser.PostAsync(new Uri(origin, $"/cgi-bin/echo?{name}={Uri.EscapeDataString(fresh)}&c=3"), new StringContent("x=1"), Ct);
        Assert.Equal(HttpStatusCode.OK, posted.StatusCode);
        var body = await posted.Content.ReadAsStringAsync(Ct);
        Assert.Contains("method=POST\n", body, StringComparison.Ordinal);
        Assert.Contains("uri=/cgi-bin/echo?c=3\n", body, StringComparison.Ordinal);
        Assert.DoesNotContain("lat_", body, StringComparison.OrdinalIgnoreCase);
        Assert.Contains(posted.Headers.GetValues("Set-Cookie"), c => c.StartsWith("labo-port=lat_", StringComparison.Ordinal));
    }

    [Fact]
    public async Task WebPort_TwoAccessTokensInTheQuery_AreRefused()
    {
        var token = (await fixture.TokenUrlAsync(fixture.Lea, fixture.SessionA, ct: Ct)).Query["?access_token=".Length..];
        using var browser = Browser();
        var response = await browser.GetAsync(new Uri(fixture.Origin(fixture.SessionA), $"/?access_token={token}&ACCESS_TOKEN={token}"), Ct);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task WebPort_ClientForwardingHeaders_AreReplacedWithTheGatewaysOwn()
    {
        var cookie = await fixture.CookieAsync(fixture.Lea, fixture.SessionA, port: "raw", ct: Ct);
        var origin = fixture.Origin(fixture.SessionA, port: 8001);
        using var browser = Browser();
        var request = Get(origin, cookie);
        foreach (var (name, value) in new[]
        {
            ("X-Forwarded-For", "6.6.6.6"), ("x-forwarded-host", "evil.test"), ("X-FORWARDED-PROTO", "https"), ("X-Forwarded-Prefix", "/evil"),
            ("X-Forwarded-Port", "443"), ("Forwarded", "for=6.6.6.6;host=evil.test"), ("X-Real-IP", "6.6.6.6"), ("Proxy-Authorization", "Basic x"),
        })
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        var head = (await (await browser.SendAsync(request, Ct)).Content.ReadAsStringAsync(Ct)).Split('\n');
        Assert.DoesNotContain(head, l => l.Contains("6.6.6.6", StringComparison.Ordinal) || l.Contains("evil", StringComparison.Ordinal));
        Assert.Equal(["X-Forwarded-For: 127.0.0.1", $"X-Forwarded-Host: {origin.Authority}", "X-Forwarded-Proto: http"],
            head.Where(l => l.StartsWith("X-Forwarded-", StringComparison.OrdinalIgnoreCase)).Order(StringComparer.Ordinal));
        Assert.Equal($"Forwarded: for=\"127.0.0.1\";host=\"{origin.Authority}\";proto=http", Assert.Single(head, l => l.StartsWith("Forwarded:", StringComparison.OrdinalIgnoreCase)));
        Assert.DoesNotContain(head, l => l.StartsWith("X-Real-IP", StringComparison.OrdinalIgnoreCase) || l.StartsWith("Proxy-", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task WebPort_StoppedSession_IsClosed()
    {
        // A session of its own: the fixture's sessions stay up for the other tests.
        var sessions = fixture.Server.Services.GetRequiredService<ISessionService>();
        var session = await sessions.StartAsync("web-ports", new UserRef("lea", "LEA"), cancellationToken: Ct);
        var cookie = await fixture.CookieAsync(fixture.Lea, session, ct: Ct);
        using var browser = Browser();
        Assert.Equal(HttpStatusCode.OK, (await browser.SendAsync(Get(fixture.Origin(session), cookie), Ct)).StatusCode);
        await fixture.Lea.PostAsync($"/api/sessions/{session.Id}/stop", null, Ct);
        Assert.Equal(HttpStatusCode.Conflict, (await browser.SendAsync(Get(fixture.Origin(session), cookie), Ct)).StatusCode);
    }

    private static StringContent JsonContent(string json) => new(json, Encoding.UTF8, "application/json");
}
