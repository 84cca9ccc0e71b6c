namespace LabOrchestrator.Podman.Tests.Isolation;

/// <summary>A lab's egress: none reaches nothing beyond the session; internet reaches public addresses only.</summary>
[Collection(PodmanCollection.Name)]
public sealed class EgressTests(IsolationFixture fixture) : IClassFixture<IsolationFixture>
{
    /// <summary>deb.debian.org answers here (the one public service this machine reaches).</summary>
    private const string PublicUrl = "http://deb.debian.org/debian/";

    [Fact]
    public async Task EgressInternet_ReachesAPublicAddress_EgressNoneDoesNot()
    {
        var open = await fixture.ShAsync(fixture.Open, "attacker", $"curl -sS -o /dev/null -w '%{{http_code}}' --max-time 15 {PublicUrl}");
        var closed = await fixture.ShAsync(fixture.Closed, "attacker", $"curl -sS -o /dev/null -w '%{{http_code}}' --max-time 5 {PublicUrl}");

        Assert.Equal("200", open.StandardOutput.Trim());
        Assert.NotEqual(0, closed.ExitCode);
    }

    [Fact]
    public async Task EitherEgress_NeverReachesAPrivateRange_EvenWithARouteToIt()
    {
        var script = $"""
            {IsolationFixture.GatewayVariable}
            ip route add {IsolationFixture.TargetSubnet} via $gw 2>/dev/null
            curl -sS --max-time 3 http://{IsolationFixture.TargetAddress}/
            nc -w 3 {IsolationFixture.TargetAddress} 80 </dev/null
            ping -c 1 -W 2 {IsolationFixture.TargetAddress} && echo PING-ANSWERED
            true
            """;
        foreach (var session in new[] { fixture.Open, fixture.Closed })
        {
            var result = await fixture.ShAsync(session, "attacker", script);

            Assert.DoesNotContain("PRIVATE-RANGE-SECRET", result.StandardOutput, StringComparison.Ordinal);
            Assert.DoesNotContain("PING-ANSWERED", result.StandardOutput, StringComparison.Ordinal);
        }

        // The target does answer from the host, so only the firewall keeps nodes away from it.
        using var http = new HttpClient();
        Assert.Contains("PRIVATE-RANGE-SECRET", await http.GetStringAsync($"http://{IsolationFixture.TargetAddress}/", TestEngine.Timeout(10)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task EitherEgress_NeverReachesAnotherSessionsNode_EvenWithARouteToIt()
    {
        var server = await fixture.AddressAsync(fixture.Closed, "server");
        var script = $"""
            {IsolationFixture.GatewayVariable}
            ip route add {server}/32 via $gw 2>/dev/null
            curl -sS --max-time 3 http://{server}/
            ping -c 1 -W 2 {server} && echo PING-ANSWERED
            true
            """;

        var result = await fixture.ShAsync(fixture.Open, "attacker", script);

        Assert.DoesNotContain($"page of {fixture.Closed}", result.StandardOutput, StringComparison.Ordinal);
        Assert.DoesNotContain("PING-ANSWERED", result.StandardOutput, StringComparison.Ordinal);
    }
}
