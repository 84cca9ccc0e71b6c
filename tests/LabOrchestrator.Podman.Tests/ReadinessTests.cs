using LabOrchestrator.Compilation;
using LabOrchestrator.Engines;
using LabOrchestrator.Labs;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace LabOrchestrator.Podman.Tests;

/// <summary>
/// Running means ready: a node is reported Running only once its image's lab-ready passes (lab-base: lab-entrypoint has
/// set the passwords and handed PID 1 to the node's command). These nodes pretend to be a slow lab-entrypoint: their
/// PID 1's command line names it while they "set up".
/// </summary>
[Collection("Podman sessions")]
public sealed class ReadinessTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Apply_NodeStillSettingUp_IsReportedRunningOnlyOnceItsSetupIsDone()
    {
        using var engine = TestEngine.Create();
        var sessionId = TestEngine.NewSessionId();
        var reported = new List<NodeStatus>();
        var plan = TestLabs.Compile(Lab(Node("slow", "# lab-entrypoint: setting up\nsleep 3; touch /run/setup-done; exec sleep infinity")), sessionId);
        try
        {
            await engine.ApplyAsync(plan, new SynchronousProgress(reported), TestEngine.Timeout());

            Assert.Contains(reported, s => s is { Node: "slow", State: NodeState.Running });
            var done = await engine.ExecAsync(sessionId, "slow", ["test", "-e", "/run/setup-done"], TimeSpan.FromSeconds(30), Ct);
            Assert.Equal(0, done.ExitCode);
        }
        finally
        {
            await engine.DeleteAsync(sessionId, TestEngine.Timeout());
        }
    }

    [Fact]
    public async Task Apply_NodeThatNeverGetsReady_FailsSayingItWasNotReady()
    {
        using var engine = new PodmanEngine(
            Options.Create(new PodmanEngineOptions { StartTimeout = TimeSpan.FromSeconds(8) }), NullLogger<PodmanEngine>.Instance, TimeProvider.System);
        var sessionId = TestEngine.NewSessionId();
        var reported = new List<NodeStatus>();
        var plan = TestLabs.Compile(Lab(Node("stuck", "# lab-entrypoint that never finishes\nwhile :; do sleep 1; done")), sessionId);
        try
        {
            var failure = await Assert.ThrowsAsync<EngineException>(() => engine.ApplyAsync(plan, new SynchronousProgress(reported), TestEngine.Timeout()));

            Assert.Contains("Node 'stuck' runs but was not ready within 8 s", failure.Message, StringComparison.Ordinal);
            Assert.Contains(NodeReadiness.ImageCommand, failure.Message, StringComparison.Ordinal);
            Assert.Null(failure.HostFix);
            Assert.DoesNotContain(reported, s => s.State == NodeState.Running);
            Assert.Contains(reported, s => s is { Node: "stuck", State: NodeState.Failed });
        }
        finally
        {
            await engine.DeleteAsync(sessionId, TestEngine.Timeout());
        }
    }

    private static LabDefinition Lab(NodeDefinition node) => new() { Name = "readiness", Nodes = [node] };

    private static NodeDefinition Node(string name, string script) =>
        new() { Name = name, Image = TestLabs.Image, Command = ["/bin/sh", "-c", script] };
}
