using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using LabOrchestrator.Labs;
using LabOrchestrator.Server.Accounts;
using LabOrchestrator.Server.Gateway;
using LabOrchestrator.Server.Tests.Accounts;
using LabOrchestrator.Server.Tests.Gateway;
using LabOrchestrator.Server.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LabOrchestrator.Server.Tests.Observability;

/// <summary>
/// Everything the server logs at the most verbose level, during a learner's login, start, terminal, web-port visit and
/// check: session ids on every line about the session, and none of the secrets that passed through.
/// </summary>
public sealed class SecretsInLogsTests
{
    private const string LabYaml = """
        name: logged-lab
        nodes:
          - name: linux
            image: localhost/lab-base:latest
            access:
              terminal: true
              http:
                - name: app
                  port: 8000
            credentials:
              - name: learner
                username: learner
                password: generate
        """;

    private const string TypedSecret = "typed-in-the-terminal-Xq7!";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task LearnersWork_IsLoggedWithSessionIds_AndWithoutPasswordsTokensOrCookies()
    {
        var logs = new CapturedLogs();
        using var app = new TcpListener(IPAddress.Loopback, 0);
        app.Start();
        var serving = ServeAsync(app, Ct);
        var engine = new FakeLabEngine { PortEndpoint = (_, _, _) => (IPEndPoint)app.LocalEndpoint };
        await using var server = await ServerHost.StartWithFakeEngineAsync(
            engine,
            settings: new Dictionary<string, string?> { ["Logging:LogLevel:Default"] = "Trace" },
            cancellationToken: Ct,
            moreServices: s => s.AddSingleton<ILoggerProvider>(logs));
        var (_, apiToken) = await server.UserAsync("lea", Roles.Learner, Ct);
        await server.Services.GetRequiredService<ILabCatalog>().AddOrUpdateAsync(new LabSource(LabYaml, "logged-lab.yaml", null), publishIfNew: true, Ct);

        // A browser login: password in, cookie and anti-forgery token out.
        var (cookies, csrf) = await AccountsServer.LoginCookiesAsync(server, "lea", AccountsServer.UserPassword, Ct);
        using var browser = AccountsServer.WithCookies(server, cookies);
        using var start = await browser.SendAsync(AccountsServer.Json(HttpMethod.Post, "/api/sessions", new { lab = "logged-lab" }, csrf), Ct);
        Assert.Equal(HttpStatusCode.Accepted, start.StatusCode);
        var id = (await start.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetString()!;
        await WaitRunningAsync(browser, id, Ct);
        var session = await browser.GetFromJsonAsync<JsonElement>($"/api/sessions/{id}", Ct);
        var nodePassword = session.GetProperty("credentials").EnumerateArray().Single().GetProperty("password").GetString()!;

        // Access tokens for the terminal and the web port; the terminal gets typed input, the web port is opened with its token.
        using var access = await browser.SendAsync(AccountsServer.Json(HttpMethod.Post, $"/api/sessions/{id}/access", new { kinds = new[] { "terminal", "http" } }, csrf), Ct);
        var issued = await access.Content.ReadFromJsonAsync<JsonElement>(Ct);
        var node = issued.GetProperty("nodes").GetProperty("linux");
        var terminalUrl = new Uri(node.GetProperty("terminal").GetString()!);
        var portUrl = new Uri(node.GetProperty("ports").GetProperty("app").GetString()!);
        await using (var terminal = await TerminalClient.ConnectAsync(terminalUrl, bearer: null, Ct))
        {
            await terminal.SendAsync(TypedSecret + "\r", Ct);
            Assert.True(await terminal.WaitForAsync(TypedSecret, Ct), terminal.Output);
        }

        using var port = WebPortFixture.Browser();
        var exchanged = await port.GetAsync(portUrl, Ct);
        Assert.Equal(HttpStatusCode.Redirect, exchanged.StatusCode);
        var portCookie = exchanged.Headers.GetValues("Set-Cookie").Single().Split(';')[0];
        using var page = await port.SendAsync(WebPortFixture.Get(new Uri(portUrl, "/"), portCookie), Ct);
        Assert.Equal("from the node's app", await page.Content.ReadAsStringAsync(Ct));
        // A refused token is logged as refused, not printed.
        using var forged = await port.GetAsync(new Uri(portUrl, "/?access_token=forged-" + TypedSecret), Ct);
        Assert.Equal(HttpStatusCode.Unauthorized, forged.StatusCode);

        using var check = await browser.SendAsync(AccountsServer.Json(HttpMethod.Post, $"/api/sessions/{id}/guide/steps/none/check", new { }, csrf), Ct);
        using var stop = await browser.SendAsync(new HttpRequestMessage(HttpMethod.Delete, $"/api/sessions/{id}") { Headers = { { "X-CSRF-Token", csrf } } }, Ct);
        Assert.Equal(HttpStatusCode.OK, stop.StatusCode);
        app.Stop();
        await serving;

        var all = logs.All;
        var accessToken = System.Web.HttpUtility.ParseQueryString(terminalUrl.Query)["access_token"]!;
        var portToken = System.Web.HttpUtility.ParseQueryString(portUrl.Query)["access_token"]!;
        string[] secrets =
        [
            AccountsServer.UserPassword, apiToken, nodePassword, TypedSecret, accessToken, portToken, portCookie.Split('=', 2)[1], csrf,
            .. cookies.Split("; ").Select(c => c.Split('=', 2)[1]),
        ];
        Assert.All(secrets, secret => Assert.True(secret.Length >= 8, $"'{secret}' is too short to search for."));
        Assert.All(secrets, secret => Assert.DoesNotContain(secret, all, StringComparison.Ordinal));

        // Every line that names the session carries it as a field, and the work in it (runner, terminal, web port) is there.
        var aboutSession = logs.Entries.Where(e => e.ToString().Contains(id, StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(aboutSession);
        Assert.All(aboutSession, e => Assert.Contains(e.Fields, f => f.Key.EndsWith("SessionId", StringComparison.Ordinal) && f.Value == id));
        Assert.Contains(logs.Entries, e => e.Message.Contains("Terminal of node linux", StringComparison.Ordinal) && e.Fields.Any(f => f.Key.StartsWith("scope", StringComparison.Ordinal) && f.Value == id));
        Assert.Contains(logs.Entries, e => e.Message.Contains("is Running", StringComparison.Ordinal) && e.Fields.Any(f => f.Key.StartsWith("scope", StringComparison.Ordinal) && f.Value == id));
        Assert.Contains(logs.Entries, e => e.Category.Contains(nameof(AccessTokenService), StringComparison.Ordinal) && e.Fields.Any(f => f.Key.StartsWith("scope", StringComparison.Ordinal) && f.Value == id));
    }

    private static async Task WaitRunningAsync(HttpClient client, string id, CancellationToken cancellationToken)
    {
        for (var i = 0; i < 100; i++)
        {
            var state = (await client.GetFromJsonAsync<JsonElement>($"/api/sessions/{id}", cancellationToken)).GetProperty("state").GetString();
            if (state == "Running")
            {
                return;
            }

            await Task.Delay(50, cancellationToken);
        }

        Assert.Fail($"Session {id} did not run.");
    }

    /// <summary>The node's web application: answers every request with one short page.</summary>
    private static async Task ServeAsync(TcpListener listener, CancellationToken cancellationToken)
    {
        while (true)
        {
            TcpClient client;
            try
            {
                client = await listener.AcceptTcpClientAsync(cancellationToken);
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException or OperationCanceledException)
            {
                return;
            }

            using (client)
            {
                var stream = client.GetStream();
                var head = new StringBuilder();
                var buffer = new byte[4096];
                while (!head.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
                {
                    var read = await stream.ReadAsync(buffer, cancellationToken);
                    if (read == 0)
                    {
                        break;
                    }

                    head.Append(Encoding.ASCII.GetString(buffer, 0, read));
                }

                const string body = "from the node's app";
                await stream.WriteAsync(Encoding.ASCII.GetBytes($"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: {body.Length}\r\nConnection: close\r\n\r\n{body}"), cancellationToken);
            }
        }
    }
}
