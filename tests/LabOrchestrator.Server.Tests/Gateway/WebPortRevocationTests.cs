using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using LabOrchestrator.Labs;
using LabOrchestrator.Server.Accounts;
using LabOrchestrator.Server.Gateway;
using LabOrchestrator.Server.Hosting;
using LabOrchestrator.Server.Tests.Sessions;
using LabOrchestrator.Server.Tests.Support;
using LabOrchestrator.Sessions;
using LabOrchestrator.Users;
using Microsoft.Extensions.DependencyInjection;

namespace LabOrchestrator.Server.Tests.Gateway;

/// <summary>
/// Finding 5 on web ports: a disabled user's access token still opened web ports. Now ending the sign-in aborts the
/// web-port WebSockets it opened (through the port origin's cookie the access token was exchanged for) and the cookie
/// opens nothing more.
/// </summary>
[Collection(PodmanSessions.Name)]
public sealed class WebPortRevocationTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task DisablingTheUser_AbortsTheirWebPortWebSockets_AndTheirAccessCookieOpensNoMore()
    {
        await using var server = await ServerHost.StartAsync(cancellationToken: Ct);
        var (learner, _) = await server.UserAsync("lea", Roles.Learner, Ct);
        await server.Services.GetRequiredService<ILabCatalog>().AddOrUpdateAsync(new LabSource(WebPortFixture.LabYaml, "web-ports.yaml", null), publishIfNew: true, Ct);
        var session = await server.Services.GetRequiredService<ISessionService>().StartAsync("web-ports", new UserRef("lea"), cancellationToken: Ct);
        Assert.Equal(SessionState.Running, session.State);
        var port = server.Services.GetRequiredService<Listeners>().WebPortsPort;
        var ws = new Uri($"ws://{WebPortOrigins.Label(session.Id, "web", 8001)}.ports.localhost:{port}/");
        // The access token, exchanged once on the port's own origin for its cookie, as the workspace's browser does.
        using var issued = await learner.PostAsJsonAsync($"/api/sessions/{session.Id}/access", new { nodes = new[] { "web" }, kinds = new[] { "http" } }, Ct);
        var tokenUrl = new Uri((await issued.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("nodes").GetProperty("web").GetProperty("ports").GetProperty("raw").GetString()!);
        using var browser = WebPortFixture.Browser();
        var exchanged = await browser.GetAsync(tokenUrl, Ct);
        Assert.Equal(HttpStatusCode.Redirect, exchanged.StatusCode);
        var cookie = exchanged.Headers.GetValues("Set-Cookie").Single().Split(';')[0];

        using var viaCookie = await EchoAsync(ws, cookie);
        await server.Services.GetRequiredService<IAccountService>().UpdateUserAsync("lea", new UserUpdate { Disabled = true }, Ct);

        Assert.True(await EndsAsync(viaCookie) < TimeSpan.FromSeconds(2));
        using var again = new ClientWebSocket();
        again.Options.CollectHttpResponseDetails = true;
        again.Options.SetRequestHeader("Cookie", cookie);
        using var invoker = new HttpMessageInvoker(WebPortFixture.LoopbackHandler());
        await Assert.ThrowsAsync<WebSocketException>(() => again.ConnectAsync(ws, invoker, Ct));
        Assert.Equal(HttpStatusCode.Unauthorized, again.HttpStatusCode);
    }

    private static async Task<ClientWebSocket> EchoAsync(Uri uri, string cookie)
    {
        var socket = new ClientWebSocket();
        socket.Options.SetRequestHeader("Cookie", cookie);
        using var invoker = new HttpMessageInvoker(WebPortFixture.LoopbackHandler());
        await socket.ConnectAsync(uri, invoker, Ct);
        await socket.SendAsync(Encoding.UTF8.GetBytes("hello"), WebSocketMessageType.Text, true, Ct);
        var buffer = new byte[256];
        var received = await socket.ReceiveAsync(buffer, Ct);
        Assert.Equal("echo:hello", Encoding.UTF8.GetString(buffer, 0, received.Count));
        return socket;
    }

    /// <summary>How long until the server ends the WebSocket (aborts it, or closes it); fails after 10 seconds.</summary>
    private static async Task<TimeSpan> EndsAsync(ClientWebSocket socket)
    {
        var watch = Stopwatch.StartNew();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(10));
        try
        {
            var result = await socket.ReceiveAsync(new byte[256], timeout.Token);
            Assert.Equal(WebSocketMessageType.Close, result.MessageType);
        }
        catch (WebSocketException)
        {
            // Aborted: the connection was cut, as the gateway does with the request.
        }

        return watch.Elapsed;
    }
}
