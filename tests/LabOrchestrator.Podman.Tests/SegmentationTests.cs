using LabOrchestrator.Engines;

namespace LabOrchestrator.Podman.Tests;

[Collection(PodmanCollection.Name)]
public sealed class SegmentationTests
{
    [Fact]
    public async Task Apply_NodesOnDifferentNetworks_CannotReachEachOther_NodeOnBothReachesBoth()
    {
        using var engine = TestEngine.Create();
        var session = TestEngine.NewSessionId();
        try
        {
            await engine.ApplyAsync(TestLabs.Compile(TestLabs.Segmented(), session), null, TestEngine.Timeout());
            var bob = (await ShAsync(engine, session, "bob", "ip -4 -o addr show eth0 | awk '{print $4}' | cut -d/ -f1")).StandardOutput.Trim();
            Assert.NotEmpty(bob);

            Assert.NotEqual(0, (await ShAsync(engine, session, "alice", $"ping -c 1 -W 2 {bob}")).ExitCode);
            Assert.NotEqual(0, (await ShAsync(engine, session, "alice", "getent hosts bob")).ExitCode);
            Assert.Equal(0, (await ShAsync(engine, session, "router", "ping -c 1 -W 2 alice")).ExitCode);
            Assert.Equal(0, (await ShAsync(engine, session, "router", "ping -c 1 -W 2 bob")).ExitCode);
            Assert.Equal(0, (await ShAsync(engine, session, "alice", "ping -c 1 -W 2 router")).ExitCode);
        }
        finally
        {
            await engine.DeleteAsync(session, TestEngine.Timeout());
        }
    }

    [Fact]
    public async Task Apply_VmNodeWithMissingDiskImage_FailsNamingTheImage_AndDeleteLeavesNothing()
    {
        using var engine = TestEngine.Create();
        var session = TestEngine.NewSessionId();
        var lab = TestLabs.Segmented() with
        {
            Nodes = [TestLabs.Idler("alice", "left"), new Labs.NodeDefinition { Name = "vm1", Image = "localhost/no-such-disk:latest", Kind = Labs.NodeKind.Vm, Networks = ["left"] }],
        };
        try
        {
            var error = await Assert.ThrowsAsync<EngineException>(() => engine.ApplyAsync(TestLabs.Compile(lab, session), null, TestEngine.Timeout()));
            Assert.Contains("'vm1'", error.Message);
            Assert.Contains("localhost/no-such-disk:latest", error.Message);

            await engine.DeleteAsync(session, TestEngine.Timeout());
            Assert.Empty(await engine.ListAsync(new Dictionary<string, string> { [LabLabels.Session] = session }, TestEngine.Timeout()));
        }
        finally
        {
            await engine.DeleteAsync(session, TestEngine.Timeout());
        }
    }

    private static Task<ExecResult> ShAsync(PodmanEngine engine, string session, string node, string script) =>
        engine.ExecAsync(session, node, ["sh", "-c", script], TimeSpan.FromSeconds(20), TestEngine.Timeout());
}
