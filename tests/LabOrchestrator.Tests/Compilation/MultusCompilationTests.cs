using System.Text.Json.Nodes;
using LabOrchestrator.Compilation;
using LabOrchestrator.Labs;

namespace LabOrchestrator.Tests.Compilation;

public sealed class MultusCompilationTests
{
    private static readonly LabDefinition Lab = new()
    {
        Name = "routing",
        Networks = [new NetworkDefinition("left"), new NetworkDefinition("right"), new NetworkDefinition("dmz")],
        Nodes =
        [
            new NodeDefinition { Name = "alice", Image = "i", Networks = ["left"] },
            new NodeDefinition { Name = "router", Image = "i", Networks = ["left", "right", "dmz"] },
            new NodeDefinition { Name = "bob", Image = "i", Networks = ["right"] },
            new NodeDefinition { Name = "vm", Image = "d", Kind = NodeKind.Vm, Networks = ["dmz"] },
        ],
    };

    private static readonly SessionContext Session = new("s1", "alice", []);

    [Fact]
    public void Compile_LabWithThreeNetworks_OneBridgeDefinitionPerNetworkBeyondTheFirst()
    {
        var plan = LabCompiler.Compile(Lab, Session);

        Assert.Equal(["right", "dmz"], plan.NetworkAttachments.Select(n => n["metadata"]!["name"]!.GetValue<string>()));
        Assert.All(plan.NetworkAttachments, n =>
        {
            Assert.Equal(("k8s.cni.cncf.io/v1", "NetworkAttachmentDefinition"), (n["apiVersion"]!.GetValue<string>(), n["kind"]!.GetValue<string>()));
            Assert.Equal("lab-s1", n["metadata"]!["namespace"]!.GetValue<string>());
            var config = JsonNode.Parse(n["spec"]!["config"]!.GetValue<string>())!;
            Assert.Equal("bridge", config["type"]!.GetValue<string>());
            Assert.Equal("static", config["ipam"]!["type"]!.GetValue<string>());
            Assert.True(config["capabilities"]!["ips"]!.GetValue<bool>());
            Assert.InRange(config["bridge"]!.GetValue<string>().Length, 1, 15);
        });
        Assert.Equal([null, "10.250.1.0/24", "10.250.2.0/24"], plan.Networks.Select(n => n.Subnet));
    }

    [Fact]
    public void Compile_TwoSessions_HaveBridgesOfTheirOwn()
    {
        string Bridge(CompiledPlan plan) => JsonNode.Parse(plan.NetworkAttachments[0]["spec"]!["config"]!.GetValue<string>())!["bridge"]!.GetValue<string>();

        Assert.NotEqual(Bridge(LabCompiler.Compile(Lab, Session)), Bridge(LabCompiler.Compile(Lab, Session with { SessionId = "s2" })));
    }

    [Fact]
    public void Compile_NodesOnFurtherNetworks_PodsAndVmsNameThemWithFixedAddresses()
    {
        var plan = LabCompiler.Compile(Lab, Session);

        Assert.False(plan.GetNode("alice").Pod.Metadata.Annotations?.ContainsKey(MultusNetworks.Annotation) == true);
        Assert.Equal("""[{"name":"right","ips":["10.250.1.11/24"]},{"name":"dmz","ips":["10.250.2.11/24"]}]""", plan.GetNode("router").Pod.Metadata.Annotations[MultusNetworks.Annotation]);
        Assert.Equal("""[{"name":"right","ips":["10.250.1.12/24"]}]""", plan.GetNode("bob").Pod.Metadata.Annotations[MultusNetworks.Annotation]);
        var vm = plan.GetNode("vm").VirtualMachine!["spec"]!["template"]!;
        Assert.Equal("""[{"name":"dmz","ips":["10.250.2.13/24"]}]""", vm["metadata"]!["annotations"]![MultusNetworks.Annotation]!.GetValue<string>());
        Assert.Equal("dmz", vm["spec"]!["networks"]![1]!["multus"]!["networkName"]!.GetValue<string>());
    }

    [Fact]
    public void Compile_LabWithOneNetwork_HasNoMultusNetworks()
    {
        var plan = LabCompiler.Compile(Lab with { Networks = [new NetworkDefinition("left")], Nodes = [Lab.Nodes[0]] }, Session);

        Assert.Empty(plan.NetworkAttachments);
        Assert.Null(plan.GetNode("alice").Pod.Metadata.Annotations);
        Assert.Null(plan.GetNode("alice").Pod.Spec.Affinity);
    }

    [Fact]
    public void Compile_LabWithFurtherNetworks_KeepsEverySessionNodeOnTheClusterNodeOfTheOthers()
    {
        var plan = LabCompiler.Compile(Lab, Session);

        // A bridge exists on one cluster node only: pods and the VM's launcher pod require the session's other pods' node.
        var vmAffinity = plan.GetNode("vm").VirtualMachine!["spec"]!["template"]!["spec"]!["affinity"]!["podAffinity"]!["requiredDuringSchedulingIgnoredDuringExecution"]![0]!;
        Assert.Equal("kubernetes.io/hostname", vmAffinity["topologyKey"]!.GetValue<string>());
        Assert.Equal("s1", vmAffinity["labelSelector"]!["matchLabels"]![LabOrchestrator.Engines.LabLabels.Session]!.GetValue<string>());
        foreach (var node in plan.Nodes)
        {
            var term = Assert.Single(node.Pod.Spec.Affinity.PodAffinity.RequiredDuringSchedulingIgnoredDuringExecution);
            Assert.Equal("kubernetes.io/hostname", term.TopologyKey);
            Assert.Equal("s1", term.LabelSelector.MatchLabels[LabOrchestrator.Engines.LabLabels.Session]);
            Assert.Equal("s1", node.Pod.Metadata.Labels[LabOrchestrator.Engines.LabLabels.Session]);
        }
    }
}
