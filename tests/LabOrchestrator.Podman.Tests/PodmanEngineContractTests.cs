using LabOrchestrator.Engines;
using LabOrchestrator.Testing.EngineContract;

namespace LabOrchestrator.Podman.Tests;

/// <summary>The engine contract on real Podman: real pods of lab-base, real exec, terminals and sockets.</summary>
[Collection("Podman sessions")]
public sealed class PodmanEngineContractTests() : EngineContractTests(new PodmanEngineContractDriver());

internal sealed class PodmanEngineContractDriver : EngineContractDriver
{
    private readonly PodmanEngine engine = TestEngine.Create();

    public override ILabEngine Engine => engine;
    public override string Image => TestLabs.Image;

    /// <summary>Podman reaches only the ports the lab lists as web ports (access.http); any other is null.</summary>
    public override UnofferedPortOutcome UnofferedPort => UnofferedPortOutcome.Null;

    public override async Task AssertTerminalEndedAsync(string sessionId, string node, CancellationToken cancellationToken)
    {
        var container = PodmanNames.NodeContainer(sessionId, node);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        string processes;
        while ((processes = await PodmanCli.RunAsync("top", container, "args")).Contains("bash", StringComparison.Ordinal))
        {
            Assert.True(DateTime.UtcNow < deadline, $"The terminal's shell still runs: {processes}");
            await Task.Delay(250, cancellationToken);
        }
    }

    public override ValueTask DisposeAsync()
    {
        engine.Dispose();
        return ValueTask.CompletedTask;
    }
}
