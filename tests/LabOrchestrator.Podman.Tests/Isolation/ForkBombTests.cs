using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace LabOrchestrator.Podman.Tests.Isolation;

/// <summary>Root in a node forks without end: the node's pids limit stops it, the host does not notice.</summary>
[Collection(PodmanCollection.Name)]
public sealed class ForkBombTests
{
    [Fact]
    public async Task ForkBomb_AsRoot_StopsAtTheNodesPidsLimit()
    {
        const int limit = 64;
        using var engine = new PodmanEngine(Options.Create(new PodmanEngineOptions { StartTimeout = TimeSpan.FromMinutes(2), PidsLimit = limit }), NullLogger<PodmanEngine>.Instance, TimeProvider.System);
        var session = TestEngine.NewSessionId();
        try
        {
            await engine.ApplyAsync(TestLabs.Compile(TestLabs.Segmented() with { Nodes = [TestLabs.Idler("alice", "left")] }, session), null, TestEngine.Timeout());

            // A real fork bomb: every process starts two more, for ever, in the background.
            var bomb = await engine.ExecAsync(session, "alice", ["sh", "-c", "b() { b | b & }; b; sleep 3; echo launched"], TimeSpan.FromSeconds(20), TestEngine.Timeout());

            var cgroup = (await PodmanCli.RunAsync("pod", "inspect", PodmanNames.Pod(session, "alice"), "--format", "{{.CgroupPath}}")).Trim().TrimStart('/');
            var folder = new[] { "/sys/fs/cgroup/pids", "/sys/fs/cgroup" }.Select(root => Path.Combine(root, cgroup)).First(f => File.Exists(Path.Combine(f, "pids.max")));
            Assert.Equal(limit.ToString(System.Globalization.CultureInfo.InvariantCulture), (await File.ReadAllTextAsync(Path.Combine(folder, "pids.max"), TestContext.Current.CancellationToken)).Trim());
            var current = int.Parse((await File.ReadAllTextAsync(Path.Combine(folder, "pids.current"), TestContext.Current.CancellationToken)).Trim(), System.Globalization.CultureInfo.InvariantCulture);
            Assert.InRange(current, limit / 2, limit);
            var events = await File.ReadAllTextAsync(Path.Combine(folder, File.Exists(Path.Combine(folder, "pids.events")) ? "pids.events" : "pids.max"), TestContext.Current.CancellationToken);
            Assert.True(bomb.TimedOut || bomb.ExitCode != 0 || events.Contains("max", StringComparison.Ordinal), "the fork bomb was not stopped by the limit");
        }
        finally
        {
            await engine.DeleteAsync(session, TestEngine.Timeout());
        }
    }
}
