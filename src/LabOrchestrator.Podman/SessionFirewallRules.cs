using System.Text;
using LabOrchestrator.Compilation;

namespace LabOrchestrator.Podman;

/// <summary>
/// The rules <see cref="SessionFirewall"/> installs, all in the mangle table. Nodes see the host only as the gateway of
/// their bridge and as a DNS server there (aardvark-dns, for node names); everything else a node sends to the host is
/// dropped (INPUT), whichever address it names: the gateway, any other host address, 127.0.0.1 through a forged route
/// or a raw socket. Routed traffic (FORWARD) never goes from one lab bridge to another, never starts from outside into a
/// lab bridge, and leaves a lab bridge only from sessions allowed the internet (<c>labi…</c> bridges), never towards
/// <see cref="EgressPolicies.BlockedIPv4"/>. IPv6 reaches nothing beyond the bridge.
/// </summary>
internal static class SessionFirewallRules
{
    public const string ForwardChain = "LAB-ORCHESTRATOR-ISOLATION";
    public const string InputChain = "LAB-ORCHESTRATOR-INPUT";

    private const string Lab = PodmanNames.BridgePrefix + "+";
    private const string Internet = PodmanNames.InternetBridgePrefix + "+";

    /// <summary>One address family: the engine's chains (replaced whole) and the jumps into them (added when missing).</summary>
    public sealed record Family(IReadOnlyList<(string Chain, IReadOnlyList<string> Rules)> Chains, IReadOnlyList<(string Table, string Builtin, string[] Rule, bool First)> Jumps)
    {
        public string RestoreScript()
        {
            var script = new StringBuilder("*mangle\n");
            foreach (var (chain, _) in Chains)
            {
                // Declaring an existing chain under --noflush empties it first.
                script.Append(':').Append(chain).Append(" - [0:0]\n");
            }

            foreach (var (chain, rules) in Chains)
            {
                foreach (var rule in rules)
                {
                    script.Append("-A ").Append(chain).Append(' ').Append(rule).Append('\n');
                }
            }

            return script.Append("COMMIT\n").ToString();
        }
    }

    public static Family IPv4 { get; } = new(
        [
            (ForwardChain,
            [
                // Frames switched within one bridge (br_netfilter shows them here): nodes of one lab network talk freely.
                $"-i {Lab} -o {Lab} -m physdev --physdev-is-bridged -j RETURN",
                // Routed from one lab bridge to another: other sessions, other networks of the same lab.
                $"-i {Lab} -o {Lab} -j DROP",
                // Into a lab bridge only the answers to what its nodes started.
                $"-o {Lab} -m conntrack --ctstate RELATED,ESTABLISHED -j RETURN",
                $"-o {Lab} -j DROP",
                .. EgressPolicies.BlockedIPv4.Select(range => $"-i {Internet} -d {range} -j DROP"),
                $"-i {Internet} -j RETURN",
                // egress: none.
                $"-i {Lab} -j DROP",
            ]),
            (InputChain,
            [
                // Answers to the host's own connections: the gateway reaching a node's web port.
                $"-i {Lab} -m conntrack --ctstate RELATED,ESTABLISHED -j RETURN",
                // aardvark-dns on the bridge's own gateway address; --limit-iface-in leaves out the host's other addresses.
                $"-i {Lab} -p udp --dport 53 -m addrtype --dst-type LOCAL --limit-iface-in -j RETURN",
                $"-i {Lab} -p tcp --dport 53 -m addrtype --dst-type LOCAL --limit-iface-in -j RETURN",
                $"-i {Lab} -j DROP",
            ]),
        ],
        [
            ("mangle", "FORWARD", ["-j", ForwardChain], true),
            ("mangle", "INPUT", ["-j", InputChain], true),
            // With br_netfilter loaded switched frames pass the nat table, where netavark masquerades everything leaving
            // a network's subnet: a packet a router node forwards to another node of the same network would reach it with
            // the bridge's address as its source and its reply would never come back. First, ahead of netavark's rules.
            ("nat", "POSTROUTING", ["-o", Lab, "-m", "physdev", "--physdev-is-bridged", "-j", "ACCEPT"], true),
        ]);

    /// <summary>Lab networks are IPv4 only: IPv6 (link-local addresses exist on every bridge) stays within a bridge.</summary>
    public static Family IPv6 { get; } = new(
        [
            (ForwardChain,
            [
                $"-i {Lab} -o {Lab} -m physdev --physdev-is-bridged -j RETURN",
                $"-i {Lab} -j DROP",
                $"-o {Lab} -j DROP",
            ]),
            (InputChain, [$"-i {Lab} -j DROP"]),
        ],
        [
            ("mangle", "FORWARD", ["-j", ForwardChain], true),
            ("mangle", "INPUT", ["-j", InputChain], true),
        ]);
}
