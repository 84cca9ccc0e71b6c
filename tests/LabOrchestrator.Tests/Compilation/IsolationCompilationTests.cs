using k8s.Models;
using LabOrchestrator.Compilation;
using LabOrchestrator.Labs;

namespace LabOrchestrator.Tests.Compilation;

/// <summary>What the plan says about isolation, engine-neutrally: capabilities, seccomp, ping, egress.</summary>
public sealed class IsolationCompilationTests
{
    private static readonly SessionContext Session = new("s1", "alice", []);

    private static LabDefinition Lab(EgressPolicy egress = EgressPolicy.None, bool userNamespaces = false) => new()
    {
        Name = "iso",
        Egress = egress,
        Nodes = [new NodeDefinition { Name = "a", Image = "localhost/lab-base:latest", AllowUserNamespaces = userNamespaces }],
    };

    [Fact]
    public void Compile_Node_KeepsTheRuntimeSeccompProfileAndOpensPingToEveryGroup()
    {
        var pod = LabCompiler.Compile(Lab(), Session).GetNode("a").Pod;

        Assert.Equal("RuntimeDefault", pod.Spec.Containers.Single().SecurityContext.SeccompProfile.Type);
        var sysctl = Assert.Single(pod.Spec.SecurityContext.Sysctls);
        Assert.Equal(("net.ipv4.ping_group_range", "0 2147483647"), (sysctl.Name, sysctl.Value));
        Assert.False(LabCompiler.Compile(Lab(), Session).GetNode("a").AllowUserNamespaces);
    }

    [Fact]
    public void Compile_NodeAllowedUserNamespaces_IsMarkedAndLeavesSeccompToTheCluster()
    {
        var node = LabCompiler.Compile(Lab(userNamespaces: true), Session).GetNode("a");

        Assert.True(node.AllowUserNamespaces);
        Assert.Null(node.Pod.Spec.Containers.Single().SecurityContext.SeccompProfile);
        Assert.DoesNotContain("SYS_ADMIN", node.Pod.Spec.Containers.Single().SecurityContext.Capabilities.Add);
        Assert.Contains("SETFCAP", node.Pod.Spec.Containers.Single().SecurityContext.Capabilities.Add);
        Assert.DoesNotContain("SETFCAP", LabCompiler.Compile(Lab(), Session).GetNode("a").Pod.Spec.Containers.Single().SecurityContext.Capabilities.Add);
    }

    [Fact]
    public void Compile_EgressNone_DeniesEgressBeyondTheSessionAndDns()
    {
        var plan = LabCompiler.Compile(Lab(), Session);

        Assert.Equal(EgressPolicy.None, plan.Egress);
        Assert.Equal(["Ingress", "Egress"], plan.NetworkPolicies.Single(p => p.Metadata.Name == "default-deny").Spec.PolicyTypes);
        Assert.DoesNotContain(plan.NetworkPolicies, p => p.Metadata.Name == "egress-internet");
        var lab = plan.NetworkPolicies.Single(p => p.Metadata.Name == "egress-lab");
        Assert.All(lab.Spec.Egress.SelectMany(r => r.To), peer => Assert.Null(peer.IpBlock));
        var dns = lab.Spec.Egress.Single(r => r.Ports is not null);
        Assert.Equal([("UDP", "53"), ("TCP", "53")], dns.Ports.Select(p => (p.Protocol, p.Port.Value)));
        Assert.All(plan.NetworkPolicies, p => Assert.Equal("lab-s1", p.Metadata.NamespaceProperty));
    }

    [Fact]
    public void Compile_EgressInternet_AllowsEveryAddressExceptPrivateLinkLocalLoopbackAndMulticast()
    {
        var plan = LabCompiler.Compile(Lab(EgressPolicy.Internet), Session);

        Assert.Equal(EgressPolicy.Internet, plan.Egress);
        var internet = plan.NetworkPolicies.Single(p => p.Metadata.Name == "egress-internet");
        Assert.Equal(["Egress"], internet.Spec.PolicyTypes);
        var blocks = Assert.Single(internet.Spec.Egress).To.Select(p => p.IpBlock).ToList();
        var v4 = blocks.Single(b => b.Cidr == "0.0.0.0/0");
        foreach (var range in new[] { "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10", "169.254.0.0/16", "127.0.0.0/8", "224.0.0.0/4" })
        {
            Assert.Contains(range, v4.Except);
        }

        var v6 = blocks.Single(b => b.Cidr == "::/0");
        foreach (var range in new[] { "fe80::/10", "fc00::/7", "::/127", "ff00::/8" })
        {
            Assert.Contains(range, v6.Except);
        }
    }

    [Fact]
    public void Compile_EgressIpBlocks_ExceptOnlyRangesOfTheirOwnFamily()
    {
        var plan = LabCompiler.Compile(Lab(EgressPolicy.Internet), Session);

        foreach (var policy in plan.NetworkPolicies)
        {
            Assert.Equal("networking.k8s.io/v1", policy.ApiVersion);
            Assert.All(policy.Spec.Egress ?? [], rule => Assert.NotNull(rule.To));
            Assert.All((policy.Spec.Egress ?? []).SelectMany(r => r.To).Where(p => p.IpBlock is not null), p =>
                Assert.All(p.IpBlock.Except, range => Assert.Equal(p.IpBlock.Cidr.Contains(':', StringComparison.Ordinal), range.Contains(':', StringComparison.Ordinal))));
        }
    }
}
