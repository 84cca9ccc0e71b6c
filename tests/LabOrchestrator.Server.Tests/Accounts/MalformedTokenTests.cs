using System.Net;
using System.Text;
using CsCheck;
using LabOrchestrator.Server.Accounts;
using LabOrchestrator.Server.Gateway;
using LabOrchestrator.Server.Hosting;
using LabOrchestrator.Server.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace LabOrchestrator.Server.Tests.Accounts;

/// <summary>
/// Finding 9 (a badly padded lat_ signature gave an unauthenticated 500), as a class: every malformed credential, on every
/// door that reads one, is refused with a 4xx that says what is wrong, never a 500. One real server for the class.
/// </summary>
public sealed class MalformedTokenTests(MalformedTokenTests.Server fixture) : IClassFixture<MalformedTokenTests.Server>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [MemberData(nameof(Variants))]
    public async Task MalformedBearerToken_Is401WithAProblemSayingWhy(string token)
    {
        using var response = await fixture.SendAsync("/api/me", authorization: "Bearer " + MalformedTokens.ForHeader(token));

        AssertRefused(response, token);
        if (response.StatusCode == HttpStatusCode.Unauthorized)
        {
            var problem = await AccountsServer.ProblemAsync(response, Ct);
            Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("detail").GetString()));
        }
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public async Task MalformedLoginCookie_Is401(string token)
    {
        using var response = await fixture.SendAsync("/api/me", cookie: "labo.auth=" + MalformedTokens.ForHeader(token));

        AssertRefused(response, token);
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public async Task MalformedAccessToken_OnTerminalAndDesktop_Is401(string token)
    {
        var query = "?access_token=" + Uri.EscapeDataString(token);
        using var terminal = await fixture.SendAsync("/gateway/sessions/s1/nodes/linux/terminal" + query);
        using var desktop = await fixture.SendAsync("/gateway/sessions/s1/nodes/linux/desktop" + query);

        AssertRefused(terminal, token);
        AssertRefused(desktop, token);
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public async Task MalformedAccessToken_OnWebPorts_InQueryOrCookie_Is401(string token)
    {
        using var query = await fixture.SendAsync("/?access_token=" + Uri.EscapeDataString(token), webPorts: true);
        using var cookie = await fixture.SendAsync("/", cookie: Server.PortCookie + "=" + MalformedTokens.ForHeader(token), webPorts: true);

        AssertRefused(query, token);
        AssertRefused(cookie, token);
    }

    [Fact]
    public async Task RandomAndMutatedTokens_OnEveryDoor_NeverGiveA500()
    {
        var valid = await fixture.ValidAccessTokenAsync();
        await Gen.OneOf(MalformedTokens.Random, MalformedTokens.Mutations(valid)).SampleAsync(
            async token =>
            {
                var header = MalformedTokens.ForHeader(token);
                var escaped = Uri.EscapeDataString(token);
                using var bearer = await fixture.SendAsync("/api/me", authorization: "Bearer " + header);
                using var cookie = await fixture.SendAsync("/api/me", cookie: "labo.auth=" + header);
                using var terminal = await fixture.SendAsync("/gateway/sessions/s1/nodes/linux/terminal?access_token=" + escaped);
                using var port = await fixture.SendAsync("/", cookie: Server.PortCookie + "=" + header, webPorts: true);
                foreach (var response in new[] { bearer, cookie, terminal, port })
                {
                    Assert.True((int)response.StatusCode is >= 400 and < 500, $"{response.RequestMessage?.RequestUri?.AbsolutePath}: {(int)response.StatusCode} for '{token}'");
                }
            },
            iter: 150,
            threads: 1);
    }

    public static TheoryData<string> Variants => MalformedTokens.Variants;

    private static void AssertRefused(HttpResponseMessage response, string token) =>
        Assert.True(
            response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.BadRequest or HttpStatusCode.RequestUriTooLong or HttpStatusCode.RequestHeaderFieldsTooLarge,
            $"{(int)response.StatusCode} for '{token}'");

    /// <summary>One server for the class, with clients that send headers as given (non-ASCII included).</summary>
    public sealed class Server : IAsyncLifetime
    {
        /// <summary>The cookie a web port's origin keeps its access token in (plain http).</summary>
        public const string PortCookie = "labo-port";

        private ServerHost? host;
        private HttpClient? client;

        public async ValueTask InitializeAsync()
        {
            host = await AccountsServer.StartAsync(CancellationToken.None);
            client = new HttpClient(new SocketsHttpHandler
            {
                UseCookies = false,
                AllowAutoRedirect = false,
                RequestHeaderEncodingSelector = (_, _) => Encoding.UTF8,
            });
        }

        public async Task<HttpResponseMessage> SendAsync(string pathAndQuery, string? authorization = null, string? cookie = null, bool webPorts = false)
        {
            var port = webPorts ? host!.Services.GetRequiredService<Listeners>().WebPortsPort : host!.Address.Port;
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri($"http://127.0.0.1:{port}{pathAndQuery}"));
            if (webPorts)
            {
                // Node web port 80 of session s1's node web, at its own origin.
                request.Headers.Host = $"{WebPortOrigins.Label("s1", "web", 80)}.ports.localhost:{port}";
            }

            if (authorization is not null)
            {
                request.Headers.TryAddWithoutValidation("Authorization", authorization);
            }

            if (cookie is not null)
            {
                request.Headers.TryAddWithoutValidation("Cookie", cookie);
            }

            return await client!.SendAsync(request, Ct);
        }

        /// <summary>A real access token of the admin, for mutating (it opens a session that does not exist).</summary>
        public async Task<string> ValidAccessTokenAsync()
        {
            var current = await host!.Services.GetRequiredService<IAccountService>().GetSignInAsync("admin", Ct);
            return host.Services.GetRequiredService<AccessTokenService>()
                .Issue("s1", new SignIn(current!.User.Id, current.Stamp), null, [AccessKinds.Terminal], false, TimeSpan.FromMinutes(5)).Token;
        }

        public async ValueTask DisposeAsync()
        {
            client?.Dispose();
            if (host is not null)
            {
                await host.DisposeAsync();
            }
        }
    }
}
