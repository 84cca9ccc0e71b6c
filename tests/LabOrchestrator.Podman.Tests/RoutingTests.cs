using LabOrchestrator.Engines;

namespace LabOrchestrator.Podman.Tests;

/// <summary>A node on two networks routes between them once the learner sets the routes; capabilities make that possible.</summary>
[Collection(PodmanCollection.Name)]
public sealed class RoutingTests
{
    [Fact]
    public async Task Apply_RouterNode_ForwardsBetweenNetworks_OnceBothSidesRouteThroughIt()
    {
        using var engine = TestEngine.Create();
        var session = TestEngine.NewSessionId();
        var lab = TestLabs.Segmented() with
        {
            Nodes =
            [
                TestLabs.Idler("alice", "left") with { Capabilities = ["NET_ADMIN"] },
                TestLabs.Idler("bob", "right") with { Capabilities = ["NET_ADMIN"] },
                TestLabs.Idler("router", "left", "right"),
            ],
        };
        try
        {
            await engine.ApplyAsync(TestLabs.Compile(lab, session), null, TestEngine.Timeout());
            var alice = await OutputAsync(engine, session, "router", "getent hosts alice | awk '{print $1}'");
            var bob = await OutputAsync(engine, session, "router", "getent hosts bob | awk '{print $1}'");
            var routerLeft = await OutputAsync(engine, session, "router", $"ip -4 -o route get {alice} | sed 's/.* src \\([^ ]*\\).*/\\1/'");
            var routerRight = await OutputAsync(engine, session, "router", $"ip -4 -o route get {bob} | sed 's/.* src \\([^ ]*\\).*/\\1/'");
            Assert.NotEqual(0, (await ShAsync(engine, session, "alice", $"ping -c 1 -W 2 {bob}")).ExitCode);

            // Without NET_ADMIN a node cannot change its routes.
            Assert.NotEqual(0, (await ShAsync(engine, session, "router", $"ip route add 192.0.2.0/24 via {alice}")).ExitCode);
            Assert.Equal(0, (await ShAsync(engine, session, "alice", $"ip route add {bob}/32 via {routerLeft}")).ExitCode);
            Assert.NotEqual(0, (await ShAsync(engine, session, "alice", $"ping -c 1 -W 2 {bob}")).ExitCode);
            Assert.Equal(0, (await ShAsync(engine, session, "bob", $"ip route add {alice}/32 via {routerRight}")).ExitCode);

            var ping = await ShAsync(engine, session, "alice", $"ping -c 1 -W 2 {bob}");
            Assert.True(ping.ExitCode == 0, ping.StandardOutput + ping.StandardError);
            // One router on the way: the answer's time to live is one less than bob sent.
            Assert.Contains("ttl=63", ping.StandardOutput, StringComparison.Ordinal);
        }
        finally
        {
            await engine.DeleteAsync(session, TestEngine.Timeout());
        }
    }

    private static async Task<string> OutputAsync(PodmanEngine engine, string session, string node, string script)
    {
        var result = await ShAsync(engine, session, node, script);
        Assert.True(result.ExitCode == 0, $"{script}: {result.StandardError}");
        var output = result.StandardOutput.Trim();
        Assert.NotEmpty(output);
        return output;
    }

    private static Task<ExecResult> ShAsync(PodmanEngine engine, string session, string node, string script) =>
        engine.ExecAsync(session, node, ["sh", "-c", script], TimeSpan.FromSeconds(20), TestEngine.Timeout());
}
