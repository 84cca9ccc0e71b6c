using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using LabOrchestrator.Labs;
using LabOrchestrator.Server.Accounts;
using LabOrchestrator.Server.Hosting;
using LabOrchestrator.Server.Tests.Sessions;
using LabOrchestrator.Server.Tests.Support;
using LabOrchestrator.Sessions;
using LabOrchestrator.Users;
using Microsoft.Extensions.DependencyInjection;

namespace LabOrchestrator.Server.Tests.Gateway;

/// <summary>
/// Finding 5 on web ports: a disabled user's access token still opened web ports. Now ending the sign-in aborts the
/// web-port WebSockets it opened (through the access token's cookie or the API token) and the token opens nothing more.
/// </summary>
[Collection(PodmanSessions.Name)]
public sealed class WebPortRevocationTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task DisablingTheUser_AbortsTheirWebPortWebSockets_AndTheirAccessTokenOpensNoMore()
    {
        await using var server = await ServerHost.StartAsync(cancellationToken: Ct);
        var (learner, apiToken) = await server.UserAsync("lea", Roles.Learner, Ct);
        await server.Services.GetRequiredService<ILabCatalog>().AddOrUpdateAsync(new LabSource(WebPortTests.LabYaml, "web-ports.yaml", null), publishIfNew: true, Ct);
        var session = await server.Services.GetRequiredService<ISessionService>().StartAsync("web-ports", new UserRef("lea"), cancellationToken: Ct);
        Assert.Equal(SessionState.Running, session.State);
        var ws = new Uri($"ws://127.0.0.1:{server.Services.GetRequiredService<Listeners>().WebPortsPort}/gateway/sessions/{session.Id}/nodes/web/ports/8001/");
        using var issued = await learner.PostAsJsonAsync($"/api/sessions/{session.Id}/access", new { nodes = new[] { "web" }, kinds = new[] { "http" } }, Ct);
        var accessToken = (await issued.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("token").GetString()!;

        using var viaAccessToken = await EchoAsync(ws, "Cookie", $"labo.port={accessToken}");
        using var viaApiToken = await EchoAsync(ws, "Authorization", $"Bearer {apiToken}");
        await server.Services.GetRequiredService<IAccountService>().UpdateUserAsync("lea", new UserUpdate { Disabled = true }, Ct);

        Assert.True(await EndsAsync(viaAccessToken) < TimeSpan.FromSeconds(2));
        Assert.True(await EndsAsync(viaApiToken) < TimeSpan.FromSeconds(2));
        using var again = new ClientWebSocket();
        again.Options.CollectHttpResponseDetails = true;
        again.Options.SetRequestHeader("Cookie", $"labo.port={accessToken}");
        await Assert.ThrowsAsync<WebSocketException>(() => again.ConnectAsync(ws, Ct));
        Assert.Equal(HttpStatusCode.Unauthorized, again.HttpStatusCode);
    }

    private static async Task<ClientWebSocket> EchoAsync(Uri uri, string header, string value)
    {
        var socket = new ClientWebSocket();
        socket.Options.SetRequestHeader(header, value);
        await socket.ConnectAsync(uri, Ct);
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
