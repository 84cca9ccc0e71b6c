using System.Net;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text.Json;
using LabOrchestrator.Server.Accounts;
using LabOrchestrator.Server.Tests.Sessions;
using LabOrchestrator.Server.Tests.Support;

namespace LabOrchestrator.Server.Tests.Persist;

/// <summary>Calls shared by the reset, save and storage API tests.</summary>
internal static class PersistApi
{
    /// <summary>A learner ("lea") with a running two-hosts session; the token is lea's API token secret.</summary>
    public static async Task<(HttpClient Learner, (string SessionId, string Secret) Token)> RunningTwoHostsAsync(ServerHost server, FakeLabEngine engine, CancellationToken cancellationToken)
    {
        var (instructor, _) = await server.UserAsync("ines", Roles.Instructor, cancellationToken);
        var (learner, secret) = await server.UserAsync("lea", Roles.Learner, cancellationToken);
        await SessionsApi.PublishRepositoryLabAsync(instructor, "two-hosts", cancellationToken);
        var id = await StartAsync(learner, "two-hosts", cancellationToken);
        Assert.True(engine.Holds(id));
        return (learner, (id, secret));
    }

    /// <summary>Starts a session and follows it until it runs; returns its id.</summary>
    public static async Task<string> StartAsync(HttpClient learner, string lab, CancellationToken cancellationToken)
    {
        var start = await SessionsApi.StartAsync(learner, lab, cancellationToken);
        Assert.Equal(HttpStatusCode.Accepted, start.StatusCode);
        var id = (await start.Content.ReadFromJsonAsync<JsonElement>(cancellationToken)).GetProperty("id").GetString()!;
        Assert.Equal("Running", (await SessionsApi.FollowAsync(learner, id, cancellationToken))[^1].GetProperty("state").GetString());
        return id;
    }

    public static async Task<ClientWebSocket> OpenTerminalAsync(ServerHost server, string sessionId, string node, string bearer)
    {
        var url = new Uri(server.Address, $"/gateway/sessions/{sessionId}/nodes/{node}/terminal?cols=80&rows=24").ToString().Replace("http", "ws", StringComparison.Ordinal);
        var socket = new ClientWebSocket();
        socket.Options.SetRequestHeader("Authorization", $"Bearer {bearer}");
        await socket.ConnectAsync(new Uri(url), TestContext.Current.CancellationToken);
        return socket;
    }

    /// <summary>Reads until the server closes the socket; its close status and description.</summary>
    public static async Task<(WebSocketCloseStatus? Status, string Description)> ReceiveCloseAsync(ClientWebSocket socket, CancellationToken cancellationToken)
    {
        var buffer = new byte[4096];
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        while (true)
        {
            var result = await socket.ReceiveAsync(buffer, timeout.Token);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return (socket.CloseStatus, socket.CloseStatusDescription ?? "");
            }
        }
    }

    public static string? NodeState(JsonElement session, string node) =>
        session.GetProperty("nodes").EnumerateArray().First(n => n.GetProperty("name").GetString() == node).GetProperty("state").GetString();

    public static async Task<(int Done, int Total)> ProgressAsync(HttpClient client, string sessionId, CancellationToken cancellationToken)
    {
        var session = await client.GetFromJsonAsync<JsonElement>($"/api/sessions/{sessionId}", cancellationToken);
        var progress = session.GetProperty("progress");
        return (progress.GetProperty("done").GetInt32(), progress.GetProperty("total").GetInt32());
    }
}
