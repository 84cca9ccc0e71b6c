using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using LabOrchestrator.Engines;
using LabOrchestrator.Labs;

namespace LabOrchestrator.Podman.Tests.Isolation;

/// <summary>
/// Two running sessions a hostile learner works from, host services they must not reach, and a container on an
/// ordinary (non-lab) Podman network in a private range. The "closed" session keeps the default egress (none) and has
/// an attacker node with every capability a lab may ask (NET_ADMIN, NET_RAW), a plain node, a node that allows user
/// namespaces and a web server; the "open" session allows the internet.
/// </summary>
public sealed class IsolationFixture : IAsyncLifetime
{
    public const string TargetSubnet = "172.29.231.0/24";
    public const string TargetAddress = "172.29.231.10";

    /// <summary>A shell line setting <c>gw</c> to the node's default gateway.</summary>
    public const string GatewayVariable = "gw=$(ip -4 route show default | awk '{print $3; exit}')";

    private readonly string target = "lo-isotarget-" + Guid.NewGuid().ToString("N")[..8];

    internal PodmanEngine Engine { get; } = TestEngine.Create();
    public string Closed { get; } = TestEngine.NewSessionId();
    public string Open { get; } = TestEngine.NewSessionId();
    public HostListener LoopbackOnly { get; } = new(IPAddress.Loopback, "LOOPBACK-ONLY-SECRET");
    public HostListener Everywhere { get; } = new(IPAddress.IPv6Any, "ALL-ADDRESSES-SECRET");

    public static LabDefinition ClosedLab() => new()
    {
        Name = "isolation-closed",
        Networks = [new NetworkDefinition("lan")],
        Nodes =
        [
            TestLabs.Idler("attacker", "lan") with { Capabilities = ["NET_ADMIN", "NET_RAW"] },
            TestLabs.Idler("plain", "lan"),
            TestLabs.Idler("builder", "lan") with { AllowUserNamespaces = true },
            TestLabs.TwoHosts().Nodes[0],
        ],
    };

    public static LabDefinition OpenLab() => new()
    {
        Name = "isolation-open",
        Egress = EgressPolicy.Internet,
        Networks = [new NetworkDefinition("lan")],
        Nodes = [TestLabs.Idler("attacker", "lan") with { Capabilities = ["NET_ADMIN", "NET_RAW"] }],
    };

    public async ValueTask InitializeAsync()
    {
        await Engine.ApplyAsync(TestLabs.Compile(ClosedLab(), Closed), null, TestEngine.Timeout(180));
        await Engine.ApplyAsync(TestLabs.Compile(OpenLab(), Open), null, TestEngine.Timeout(180));
        // Not a lab network: a container in a private range that only the egress rules keep nodes from.
        await PodmanCli.RunAsync("network", "create", "--subnet", TargetSubnet, target);
        await PodmanCli.RunAsync("run", "-d", "--name", target, "--network", $"{target}:ip={TargetAddress}", "--runtime", "runc",
            "--ulimit", "nofile=1024:1024", "--ulimit", "nproc=4096:4096", TestLabs.Image,
            "sh", "-c", "mkdir -p /srv && echo PRIVATE-RANGE-SECRET > /srv/index.html && exec busybox httpd -f -p 80 -h /srv");
    }

    public async ValueTask DisposeAsync()
    {
        await Engine.DeleteAsync(Closed, TestEngine.Timeout());
        await Engine.DeleteAsync(Open, TestEngine.Timeout());
        await PodmanCli.RunAsync("rm", "-f", "-t", "0", target);
        await PodmanCli.RunAsync("network", "rm", "-f", target);
        Engine.Dispose();
        LoopbackOnly.Dispose();
        Everywhere.Dispose();
    }

    public async Task<ExecResult> ShAsync(string session, string node, string script, int timeoutSeconds = 60) =>
        await Engine.ExecAsync(session, node, ["sh", "-c", script], TimeSpan.FromSeconds(timeoutSeconds), TestEngine.Timeout(timeoutSeconds + 30));

    /// <summary>The gateway of the node's first network: the host's address on the session's bridge.</summary>
    public async Task<string> GatewayAsync(string session, string node) =>
        (await ShAsync(session, node, "ip -4 route show default | awk '{print $3; exit}'")).StandardOutput.Trim();

    public async Task<string> AddressAsync(string session, string node) =>
        (await ShAsync(session, node, "ip -4 -o addr show eth0 | awk '{print $4}' | cut -d/ -f1")).StandardOutput.Trim();

    /// <summary>Every IPv4 address of this host except loopback: its own interfaces and every bridge's gateway.</summary>
    public static IReadOnlyList<string> HostAddresses() =>
        NetworkInterface.GetAllNetworkInterfaces()
            .SelectMany(i => i.GetIPProperties().UnicastAddresses)
            .Select(a => a.Address)
            .Where(a => a.AddressFamily == AddressFamily.InterNetwork && !IPAddress.IsLoopback(a))
            .Select(a => a.ToString())
            .Distinct()
            .ToList();
}
