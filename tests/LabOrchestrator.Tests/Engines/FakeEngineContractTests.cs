using System.Net;
using System.Net.Sockets;
using LabOrchestrator.Engines;
using LabOrchestrator.Testing.EngineContract;

namespace LabOrchestrator.Tests.Engines;

/// <summary>The engine contract on <see cref="FakeLabEngine"/>, so tests built on the fake rely on what real engines do.</summary>
public sealed class FakeEngineContractTests() : EngineContractTests(new FakeEngineContractDriver());

/// <summary>
/// Makes the fake behave as a node would for the contract: commands answered by <see cref="FakeShell"/>, the "web" node's
/// echo port served by a loopback listener, <see cref="ContractLab.MissingImage"/> not to be had.
/// </summary>
internal sealed class FakeEngineContractDriver : EngineContractDriver
{
    private readonly FakeLabEngine engine = new();
    private readonly TcpListener echo = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource stop = new();
    private Task serving = Task.CompletedTask;

    public FakeEngineContractDriver()
    {
        engine.ExecHandler = (_, _, command) => FakeShell.Run(command).Result;
        engine.ExecDuration = (_, _, command) => FakeShell.Run(command).Duration;
        engine.ImageExists = image => image != ContractLab.MissingImage;
        engine.PortEndpoint = (_, node, port) => node == "web" && port == ContractLab.EchoPort ? (IPEndPoint)echo.LocalEndpoint : null;
    }

    public override ILabEngine Engine => engine;
    public override string Image => "localhost/lab-base:latest";
    public override UnofferedPortOutcome UnofferedPort => UnofferedPortOutcome.Null;

    public override ValueTask InitializeAsync()
    {
        echo.Start();
        serving = ServeAsync();
        return ValueTask.CompletedTask;
    }

    public override Task AssertTerminalEndedAsync(string sessionId, string node, CancellationToken cancellationToken)
    {
        Assert.All(engine.Terminals.Where(t => t.SessionId == sessionId && t.Node == node), t => Assert.True(t.IsClosed));
        return Task.CompletedTask;
    }

    public override async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        echo.Stop();
        await serving;
        stop.Dispose();
    }

    private async Task ServeAsync()
    {
        try
        {
            while (true)
            {
                var client = await echo.AcceptTcpClientAsync(stop.Token);
                _ = EchoAsync(client);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // Stopped.
        }
    }

    private async Task EchoAsync(TcpClient client)
    {
        using (client)
        {
            try
            {
                await client.GetStream().CopyToAsync(client.GetStream(), stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or IOException)
            {
                // The other side went away.
            }
        }
    }
}
