using System.Text.Json.Nodes;
using LabOrchestrator.Compilation;
using LabOrchestrator.Labs;

namespace LabOrchestrator.Podman.Tests.Isolation;

/// <summary>What the engine writes for isolation, checked without running Podman.</summary>
public sealed class IsolationUnitTests
{
    private const string Profile = """
        {"defaultAction": "SCMP_ACT_ERRNO", "syscalls": [
          {"names": ["read", "clone", "clone3", "unshare", "write"], "action": "SCMP_ACT_ALLOW"},
          {"names": ["unshare"], "action": "SCMP_ACT_ALLOW", "includes": {"caps": ["CAP_SYS_ADMIN"]}}
        ]}
        """;

    [Fact]
    public void SeccompProfile_AllowsCloneAndUnshareOnlyWithoutNewUser_AndClone3NotAtAll()
    {
        var refused = JsonNode.Parse(SeccompProfiles.RefuseUserNamespaces(Profile))!["syscalls"]!.AsArray();

        var unconditional = refused.Where(r => r!["args"] is null && r["action"]!.GetValue<string>() == "SCMP_ACT_ALLOW")
            .SelectMany(r => r!["names"]!.AsArray().Select(n => n!.GetValue<string>())).ToList();
        Assert.Contains("read", unconditional);
        Assert.DoesNotContain("clone", unconditional);
        Assert.DoesNotContain("clone3", unconditional);
        Assert.DoesNotContain("unshare", unconditional);
        foreach (var name in new[] { "clone", "unshare" })
        {
            var rule = Assert.Single(refused, r => r!["names"]!.AsArray().Any(n => n!.GetValue<string>() == name) && r["args"] is not null)!;
            var arg = Assert.Single(rule["args"]!.AsArray())!;
            Assert.Equal(("SCMP_CMP_MASKED_EQ", 0x10000000L, 0L), (arg["op"]!.GetValue<string>(), arg["value"]!.GetValue<long>(), arg["valueTwo"]!.GetValue<long>()));
        }

        var clone3 = Assert.Single(refused, r => r!["names"]!.AsArray().Any(n => n!.GetValue<string>() == "clone3"))!;
        Assert.Equal(("SCMP_ACT_ERRNO", 38), (clone3["action"]!.GetValue<string>(), clone3["errnoRet"]!.GetValue<int>()));
    }

    [Fact]
    public void FirewallRules_DropFromLabBridgesToTheHostAndBeyond_ExceptDnsOnTheOwnGatewayAndInternetSessions()
    {
        var script = SessionFirewallRules.IPv4.RestoreScript();

        Assert.StartsWith("*mangle\n:LAB-ORCHESTRATOR-ISOLATION - [0:0]\n:LAB-ORCHESTRATOR-INPUT - [0:0]\n", script, StringComparison.Ordinal);
        Assert.EndsWith("-A LAB-ORCHESTRATOR-INPUT -i lab+ -j DROP\nCOMMIT\n", script, StringComparison.Ordinal);
        Assert.Contains("-A LAB-ORCHESTRATOR-INPUT -i lab+ -p udp --dport 53 -m addrtype --dst-type LOCAL --limit-iface-in -j RETURN\n", script, StringComparison.Ordinal);
        foreach (var range in EgressPolicies.BlockedIPv4)
        {
            Assert.Contains($"-A LAB-ORCHESTRATOR-ISOLATION -i labi+ -d {range} -j DROP\n", script, StringComparison.Ordinal);
        }

        var forward = script.Split('\n').Where(l => l.StartsWith("-A LAB-ORCHESTRATOR-ISOLATION", StringComparison.Ordinal)).ToList();
        Assert.Equal("-A LAB-ORCHESTRATOR-ISOLATION -i lab+ -j DROP", forward[^1]);
        Assert.True(forward.IndexOf("-A LAB-ORCHESTRATOR-ISOLATION -i labi+ -j RETURN") > forward.FindLastIndex(l => l.Contains("-d ", StringComparison.Ordinal)));
        Assert.Contains("-A LAB-ORCHESTRATOR-INPUT -i lab+ -j DROP", SessionFirewallRules.IPv6.RestoreScript(), StringComparison.Ordinal);
    }

    [Fact]
    public void BridgeName_TellsInternetSessionsApart_AndStaysWithinFifteenCharacters()
    {
        var closed = PodmanNames.Bridge("session1", "lan");
        var open = PodmanNames.Bridge("session1", "lan", EgressPolicy.Internet);

        Assert.StartsWith(PodmanNames.BridgePrefix, closed, StringComparison.Ordinal);
        Assert.False(closed.StartsWith(PodmanNames.InternetBridgePrefix, StringComparison.Ordinal));
        Assert.StartsWith(PodmanNames.InternetBridgePrefix, open, StringComparison.Ordinal);
        Assert.Equal(15, closed.Length);
        Assert.Equal(15, open.Length);
    }

    [Fact]
    public void PodAdapter_PublishesNoPort_NamesWebPortsAndSeccomp_AndFillsDefaultResources()
    {
        var lab = TestLabs.TwoHosts();
        var plan = TestLabs.Compile(lab, "s1");
        var options = new PodmanEngineOptions { DefaultCpu = "750m", DefaultMemory = "300Mi" };
        var service = new PodmanService("/tmp/x.sock", "localhost/seccomp-a.json", "localhost/seccomp-userns-b.json");

        var pod = PodAdapter.Adapt(plan, plan.GetNode("server"), [], options, service);

        var container = pod.Spec.Containers.Single();
        Assert.Null(container.Ports);
        Assert.Equal("80", pod.Metadata.Annotations[PodAdapter.WebPortsAnnotation]);
        Assert.Equal("localhost/seccomp-a.json", pod.Metadata.Annotations[PodAdapter.SeccompAnnotation]);
        Assert.Equal("750m", container.Resources.Limits["cpu"].ToString());
        Assert.Equal("300Mi", container.Resources.Limits["memory"].ToString());
        var allowed = PodAdapter.Adapt(plan, plan.GetNode("client") with { AllowUserNamespaces = true }, [], options, service);
        Assert.Equal("localhost/seccomp-userns-b.json", allowed.Metadata.Annotations[PodAdapter.SeccompAnnotation]);
        Assert.Equal("runtime/default", new PodmanService("/tmp/x.sock", null, null).SeccompFor(false));
    }

    [Fact]
    public void PodAdapter_NodeOnASecondLabNetwork_PlaysWithoutMultusAnnotation_AndLeavesThePlanAsItWas()
    {
        var lab = TestLabs.TwoHosts() with { Networks = [new NetworkDefinition("lan"), new NetworkDefinition("dmz")] };
        lab = lab with { Nodes = [lab.Nodes[0] with { Networks = ["lan", "dmz"] }, .. lab.Nodes.Skip(1)] };
        var plan = TestLabs.Compile(lab, "s1");
        var node = plan.GetNode(lab.Nodes[0].Name);
        var service = new PodmanService("/tmp/x.sock", null, null);

        var pod = PodAdapter.Adapt(plan, node, [], new PodmanEngineOptions(), service);

        Assert.False(pod.Metadata.Annotations.ContainsKey(MultusNetworks.Annotation));
        Assert.True(node.Pod.Metadata.Annotations.ContainsKey(MultusNetworks.Annotation));
        Assert.Equal((NodeDefaults.Cpu, NodeDefaults.Memory), (new PodmanEngineOptions().DefaultCpu, new PodmanEngineOptions().DefaultMemory));
    }

    [Fact]
    public void ContainersConf_SetsPingForEveryGroup_PidsLimitAndTheSeccompProfile()
    {
        var conf = ServiceConfiguration.ContainersConf(321, "/run/x/seccomp-1.json");

        Assert.Contains("default_sysctls = [\"net.ipv4.ping_group_range=0 2147483647\"]\n", conf, StringComparison.Ordinal);
        Assert.Contains("pids_limit = 321\n", conf, StringComparison.Ordinal);
        Assert.Contains("seccomp_profile = \"/run/x/seccomp-1.json\"\n", conf, StringComparison.Ordinal);
    }
}
