using System.Globalization;

namespace LabOrchestrator.Podman.Tests.Isolation;

/// <summary>
/// Root in a node, with NET_ADMIN and NET_RAW (all a lab may grant), tries every way to the host's services it knows:
/// loopback through forged routes, the bridge's gateway, the host's other addresses, other bridges' gateways.
/// </summary>
[Collection(PodmanCollection.Name)]
public sealed class HostReachTests(IsolationFixture fixture) : IClassFixture<IsolationFixture>
{
    [Fact]
    public async Task Node_AsRootWithForgedRoutes_CannotReachLoopbackOnlyHostService()
    {
        var port = fixture.LoopbackOnly.Port.ToString(CultureInfo.InvariantCulture);
        // The local table normally answers 127.0.0.0/8 first; moved behind a rule that sends loopback out of eth0 to
        // the gateway, as a raw packet to 127.0.0.1 would go.
        var script = $"""
            {IsolationFixture.GatewayVariable}
            ip rule add pref 100 lookup local && ip rule del pref 0 lookup local
            ip rule add pref 10 to 127.0.0.0/8 lookup 100
            ip route add 127.0.0.0/8 via $gw dev eth0 onlink table 100
            ip route get 127.0.0.1 | grep -q 'dev eth0' || echo ROUTE-NOT-FORGED
            curl -sS --max-time 3 http://127.0.0.1:{port}/
            curl -sS --max-time 3 --interface eth0 http://127.0.0.1:{port}/
            nc -w 3 127.0.0.1 {port} </dev/null
            curl -sS --max-time 3 http://$gw:{port}/
            curl -sS --max-time 3 http://localhost:{port}/
            true
            """;
        foreach (var session in new[] { fixture.Closed, fixture.Open })
        {
            var result = await fixture.ShAsync(session, "attacker", script);

            Assert.DoesNotContain("ROUTE-NOT-FORGED", result.StandardOutput, StringComparison.Ordinal);
            Assert.DoesNotContain(fixture.LoopbackOnly.Marker, result.StandardOutput, StringComparison.Ordinal);
        }

        Assert.Equal(0, fixture.LoopbackOnly.Accepted);
    }

    [Fact]
    public async Task Node_CannotReachServiceOnAllHostAddresses_ByGatewayOrAnyHostAddress()
    {
        var port = fixture.Everywhere.Port.ToString(CultureInfo.InvariantCulture);
        // Every host address: its own interfaces and the gateways of other bridges (other sessions' included).
        var addresses = IsolationFixture.HostAddresses();
        Assert.NotEmpty(addresses);
        foreach (var session in new[] { fixture.Closed, fixture.Open })
        {
            var gateway = await fixture.GatewayAsync(session, "attacker");
            Assert.Contains(gateway, addresses);
            var script = string.Join('\n', addresses.Select(a => $"curl -sS --max-time 2 http://{a}:{port}/; nc -w 2 {a} {port} </dev/null")) + "\ntrue";

            var result = await fixture.ShAsync(session, "attacker", script, timeoutSeconds: 30 + (addresses.Count * 5));

            Assert.DoesNotContain(fixture.Everywhere.Marker, result.StandardOutput, StringComparison.Ordinal);
        }

        Assert.Equal(0, fixture.Everywhere.Accepted);
    }

    [Fact]
    public async Task Node_ReachesNodeNamesThroughDnsOnItsGateway_ButNoOtherGateway()
    {
        var gateway = await fixture.GatewayAsync(fixture.Closed, "plain");
        var server = await fixture.AddressAsync(fixture.Closed, "server");
        var pod = PodmanNames.Pod(fixture.Closed, "server");

        // aardvark-dns 1.4 (Debian 12) answers over UDP only; the firewall lets TCP to port 53 of the gateway through too.
        var udp = await fixture.ShAsync(fixture.Closed, "plain", $"dig +short +time=3 +tries=1 @{gateway} {pod}");
        Assert.Equal(server, udp.StandardOutput.Trim());

        // The other session's gateway is a host address like any other: its DNS server too is out of reach.
        var otherGateway = await fixture.GatewayAsync(fixture.Open, "attacker");
        var other = await fixture.ShAsync(fixture.Closed, "attacker", $"ip route add {otherGateway}/32 via {gateway}; dig +short +time=2 +tries=1 @{otherGateway} {PodmanNames.Pod(fixture.Open, "attacker")}");
        Assert.NotEqual(0, other.ExitCode);
    }

    [Fact]
    public async Task Bridges_KeepRouteLocalnetOff_AndIPv6OffOnTheHostSide_AfterWebPortsStart()
    {
        foreach (var (session, egress) in new[] { (fixture.Closed, Labs.EgressPolicy.None), (fixture.Open, Labs.EgressPolicy.Internet) })
        {
            var bridge = PodmanNames.Bridge(session, "lan", egress);

            Assert.Equal("0", (await File.ReadAllTextAsync($"/proc/sys/net/ipv4/conf/{bridge}/route_localnet", TestContext.Current.CancellationToken)).Trim());
            Assert.Equal("1", (await File.ReadAllTextAsync($"/proc/sys/net/ipv6/conf/{bridge}/disable_ipv6", TestContext.Current.CancellationToken)).Trim());
        }
    }

    [Fact]
    public async Task WebPort_IsReachedOnTheNodeAddress_AndPublishedOnNoHostPort()
    {
        var endpoint = await fixture.Engine.FindPortEndpointAsync(fixture.Closed, "server", 80, TestEngine.Timeout());

        Assert.NotNull(endpoint);
        Assert.Equal(await fixture.AddressAsync(fixture.Closed, "server"), endpoint.Address.ToString());
        Assert.Equal(80, endpoint.Port);
        using var http = new HttpClient();
        Assert.Equal($"page of {fixture.Closed}", (await http.GetStringAsync($"http://{endpoint}/", TestEngine.Timeout(10))).Trim());
        Assert.Null(await fixture.Engine.FindPortEndpointAsync(fixture.Closed, "server", 81, TestEngine.Timeout()));
        Assert.Null(await fixture.Engine.FindPortEndpointAsync(fixture.Closed, "plain", 80, TestEngine.Timeout()));
        var ports = await PodmanCli.RunAsync("pod", "inspect", PodmanNames.Pod(fixture.Closed, "server"), "--format", "{{json .InfraConfig.PortBindings}}");
        Assert.Contains(ports.Trim(), new[] { "null", "{}" });
    }
}
