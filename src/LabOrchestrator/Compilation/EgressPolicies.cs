using k8s.Models;
using LabOrchestrator.Labs;

namespace LabOrchestrator.Compilation;

/// <summary>
/// The address ranges a lab's <c>egress: internet</c> never includes, and the NetworkPolicies that say so on Kubernetes:
/// nodes reach pods of their own session and cluster DNS, plus, for <see cref="EgressPolicy.Internet"/>, every address
/// outside <see cref="BlockedIPv4"/> and <see cref="BlockedIPv6"/>.
/// </summary>
public static class EgressPolicies
{
    /// <summary>
    /// Never "the internet": this network (0/8), private (10/8, 172.16/12, 192.168/16), shared address space
    /// (100.64/10), loopback, link-local (cloud metadata at 169.254.169.254), IETF protocol assignments (192.0.0/24),
    /// benchmarking (198.18/15), multicast (224/4) and reserved plus broadcast (240/4).
    /// </summary>
    public static readonly IReadOnlyList<string> BlockedIPv4 =
    [
        "0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12",
        "192.0.0.0/24", "192.168.0.0/16", "198.18.0.0/15", "224.0.0.0/4", "240.0.0.0/4",
    ];

    /// <summary>Unspecified and loopback, IPv4-mapped, unique local (fc00::/7), link-local (fe80::/10) and multicast.</summary>
    public static readonly IReadOnlyList<string> BlockedIPv6 = ["::/127", "::ffff:0:0/96", "fc00::/7", "fe80::/10", "ff00::/8"];

    internal static IEnumerable<V1NetworkPolicy> Compile(EgressPolicy egress, string ns, Func<V1ObjectMeta> metadata)
    {
        var lab = metadata();
        lab.Name = "egress-lab";
        yield return new V1NetworkPolicy
        {
            ApiVersion = "networking.k8s.io/v1",
            Kind = "NetworkPolicy",
            Metadata = lab,
            Spec = new V1NetworkPolicySpec
            {
                PodSelector = new V1LabelSelector(),
                PolicyTypes = ["Egress"],
                Egress =
                [
                    // The session's own pods; which of them a node may reach is up to their ingress policies.
                    new V1NetworkPolicyEgressRule { To = [new V1NetworkPolicyPeer { PodSelector = new V1LabelSelector() }] },
                    // Name resolution: node names are headless Services answered by the cluster's DNS.
                    new V1NetworkPolicyEgressRule
                    {
                        To =
                        [
                            new V1NetworkPolicyPeer
                            {
                                NamespaceSelector = new V1LabelSelector(),
                                PodSelector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["k8s-app"] = "kube-dns" } },
                            },
                        ],
                        Ports = [new V1NetworkPolicyPort { Protocol = "UDP", Port = 53 }, new V1NetworkPolicyPort { Protocol = "TCP", Port = 53 }],
                    },
                ],
            },
        };

        if (egress != EgressPolicy.Internet)
        {
            yield break;
        }

        var internet = metadata();
        internet.Name = "egress-internet";
        yield return new V1NetworkPolicy
        {
            ApiVersion = "networking.k8s.io/v1",
            Kind = "NetworkPolicy",
            Metadata = internet,
            Spec = new V1NetworkPolicySpec
            {
                PodSelector = new V1LabelSelector(),
                PolicyTypes = ["Egress"],
                Egress =
                [
                    new V1NetworkPolicyEgressRule
                    {
                        To =
                        [
                            new V1NetworkPolicyPeer { IpBlock = new V1IPBlock { Cidr = "0.0.0.0/0", Except = BlockedIPv4.ToList() } },
                            new V1NetworkPolicyPeer { IpBlock = new V1IPBlock { Cidr = "::/0", Except = BlockedIPv6.ToList() } },
                        ],
                    },
                ],
            },
        };
    }
}
