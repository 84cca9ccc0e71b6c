using System.Net.Http.Json;
using System.Text.Json;
using LabOrchestrator.Server.Accounts;
using LabOrchestrator.Server.Tests.Gateway;
using LabOrchestrator.Server.Tests.Sessions;
using LabOrchestrator.Server.Tests.Support;

namespace LabOrchestrator.Server.Tests.Recovery;

/// <summary>Whatever way a terminal's WebSocket ends, the gateway closes the engine's terminal (which ends the shell).</summary>
public sealed class TerminalCloseGatewayTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task TerminalSocket_ClosedOrDropped_ClosesTheEngineTerminal(bool dropped)
    {
        var engine = new FakeLabEngine();
        await using var server = await ServerHost.StartWithFakeEngineAsync(engine, cancellationToken: Ct);
        var (instructor, _) = await server.UserAsync("ines", Roles.Instructor, Ct);
        var (learner, secret) = await server.UserAsync("lea", Roles.Learner, Ct);
        await SessionsApi.PublishRepositoryLabAsync(instructor, "two-hosts", Ct);
        var start = await SessionsApi.StartAsync(learner, "two-hosts", Ct);
        var id = (await start.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetString()!;
        await SessionsApi.FollowAsync(learner, id, Ct);
        var uri = new Uri($"ws://{server.Address.Authority}/gateway/sessions/{id}/nodes/client/terminal");

        var client = await TerminalClient.ConnectAsync(uri, secret, Ct);
        await WaitAsync(() => engine.Terminals.Any(t => t.Node == "client"));
        var terminal = engine.Terminals.Single(t => t.Node == "client");
        Assert.False(terminal.IsClosed);
        if (dropped)
        {
            // The browser went away: no close handshake.
            client.Socket.Abort();
        }
        else
        {
            await client.Socket.CloseAsync(System.Net.WebSockets.WebSocketCloseStatus.NormalClosure, "tab closed", Ct);
        }

        await WaitAsync(() => terminal.IsClosed);
        await client.DisposeAsync();
    }

    private static async Task WaitAsync(Func<bool> condition)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        deadline.CancelAfter(TimeSpan.FromSeconds(20));
        while (!condition())
        {
            await Task.Delay(20, deadline.Token);
        }
    }
}
