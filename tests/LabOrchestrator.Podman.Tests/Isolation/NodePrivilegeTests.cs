using System.Globalization;

namespace LabOrchestrator.Podman.Tests.Isolation;

/// <summary>What root in a node may do to the shared kernel: capabilities, user namespaces, processes.</summary>
[Collection(PodmanCollection.Name)]
public sealed class NodePrivilegeTests(IsolationFixture fixture) : IClassFixture<IsolationFixture>
{
    private const int NetRaw = 13;
    private const int SysAdmin = 21;
    private const int Mknod = 27;

    [Fact]
    public async Task Node_HasNoNetRawUnlessTheLabAsks_AndNeverSysAdminOrMknod()
    {
        var plain = await EffectiveAsync("plain");
        var attacker = await EffectiveAsync("attacker");

        Assert.Equal(0UL, plain & (1UL << NetRaw));
        Assert.NotEqual(0UL, attacker & (1UL << NetRaw));
        Assert.All(new[] { plain, attacker }, caps => Assert.Equal(0UL, caps & ((1UL << SysAdmin) | (1UL << Mknod))));
        var raw = await fixture.ShAsync(fixture.Closed, "plain", "ping -c 1 -W 2 -I eth0 -4 -M do -s 10 server >/dev/null; tcpdump -c 1 -i eth0 2>&1 | head -1");
        Assert.Contains("ermission", raw.StandardOutput + raw.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ping_WorksWithoutNetRaw_ForRootAndTheLearner()
    {
        var root = await fixture.ShAsync(fixture.Closed, "plain", "ping -c 1 -W 2 server");
        var learner = await fixture.ShAsync(fixture.Closed, "plain", "su learner -s /bin/sh -c 'ping -c 1 -W 2 server'");

        Assert.Equal(0, root.ExitCode);
        Assert.Equal(0, learner.ExitCode);
    }

    [Fact]
    public async Task UserNamespaces_AreRefusedToRootAndTheLearner_UnlessTheLabAllows()
    {
        foreach (var command in new[] { "unshare -Ur true", "su learner -s /bin/sh -c 'unshare -Ur true'", "sudo -u learner unshare -U true", "unshare -Urn true" })
        {
            var refused = await fixture.ShAsync(fixture.Closed, "plain", command);
            Assert.True(refused.ExitCode != 0, $"'{command}' succeeded in a node that does not allow user namespaces: {refused}");
        }

        foreach (var command in new[] { "unshare -Ur id -u", "su learner -s /bin/sh -c 'unshare -Ur id -u'" })
        {
            var allowed = await fixture.ShAsync(fixture.Closed, "builder", command);
            Assert.True(allowed.ExitCode == 0, $"'{command}' failed in a node that allows user namespaces: {allowed}");
            Assert.Equal("0", allowed.StandardOutput.Trim());
        }

        // Processes and threads still work: clone without CLONE_NEWUSER is allowed, clone3 falls back to it.
        Assert.Equal(0, (await fixture.ShAsync(fixture.Closed, "plain", "sh -c 'sleep 0 & wait' && curl -sS --max-time 3 -o /dev/null http://server/")).ExitCode);
    }

    [Fact]
    public async Task EveryNode_HasThePidsLimitOnItsPodAndDefaultCpuAndMemory()
    {
        foreach (var node in new[] { "attacker", "plain", "builder", "server" })
        {
            var pod = PodmanNames.Pod(fixture.Closed, node);
            var cgroup = (await PodmanCli.RunAsync("pod", "inspect", pod, "--format", "{{.CgroupPath}}")).Trim().TrimStart('/');
            var limit = new[] { "/sys/fs/cgroup/pids", "/sys/fs/cgroup" }.Select(root => Path.Combine(root, cgroup, "pids.max")).First(File.Exists);
            Assert.Equal("1024", (await File.ReadAllTextAsync(limit, TestContext.Current.CancellationToken)).Trim());

            var container = PodmanNames.NodeContainer(fixture.Closed, node);
            var memory = (await PodmanCli.RunAsync("inspect", container, "--format", "{{.HostConfig.Memory}}")).Trim();
            Assert.Equal((512L * 1024 * 1024).ToString(CultureInfo.InvariantCulture), memory);
        }
    }

    private async Task<ulong> EffectiveAsync(string node)
    {
        var status = await fixture.ShAsync(fixture.Closed, node, "awk '/^CapEff/ {print $2}' /proc/self/status");
        return ulong.Parse(status.StandardOutput.Trim(), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
    }
}
