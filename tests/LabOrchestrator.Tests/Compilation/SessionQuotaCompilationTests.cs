using k8s.Models;
using LabOrchestrator.Compilation;
using LabOrchestrator.Labs;

namespace LabOrchestrator.Tests.Compilation;

public sealed class SessionQuotaCompilationTests
{
    private static readonly SessionContext Session = new("s1", "alice", []);

    private static LabDefinition Lab(params NodeDefinition[] nodes) => new() { Name = "quota", Nodes = nodes };

    private static Dictionary<string, string> Hard(CompiledPlan plan) =>
        plan.ResourceQuota!.Spec.Hard.ToDictionary(h => h.Key, h => h.Value.ToString());

    [Fact]
    public void Compile_Containers_QuotaIsTheSumOfTheirResources_AndOnePodEach()
    {
        var plan = LabCompiler.Compile(Lab(
            new NodeDefinition { Name = "a", Image = "i", Resources = new ResourcesDefinition { Cpu = "500m", Memory = "256Mi" } },
            new NodeDefinition { Name = "b", Image = "i", Resources = new ResourcesDefinition { Cpu = "750m", Memory = "1Gi" } }), Session);

        Assert.Equal(new Dictionary<string, string>
        {
            ["pods"] = "2",
            ["limits.cpu"] = "1250m",
            ["requests.cpu"] = "1250m",
            ["limits.memory"] = "1280Mi",
            ["requests.memory"] = "1280Mi",
        }, Hard(plan));
        Assert.Equal("lab-s1", plan.ResourceQuota!.Metadata.NamespaceProperty);
        Assert.Equal("s1", plan.ResourceQuota.Metadata.Labels[LabOrchestrator.Engines.LabLabels.Session]);
    }

    [Fact]
    public void Compile_NodeWithoutResources_CountsTheDefaults_WhichTheLimitRangeGivesIt()
    {
        var plan = LabCompiler.Compile(Lab(new NodeDefinition { Name = "a", Image = "i" }), Session);

        Assert.Equal(("1", "512Mi"), (Hard(plan)["limits.cpu"], Hard(plan)["limits.memory"]));
        var item = Assert.Single(plan.LimitRange!.Spec.Limits);
        Assert.Equal("Container", item.Type);
        Assert.Equal(new ResourceQuantity(NodeDefaults.Cpu), item.DefaultProperty["cpu"]);
        Assert.Equal(new ResourceQuantity(NodeDefaults.Memory), item.DefaultProperty["memory"]);
        Assert.Equal(new ResourceQuantity(NodeDefaults.Cpu), item.DefaultRequest["cpu"]);
        Assert.Equal(new ResourceQuantity(NodeDefaults.Memory), item.DefaultRequest["memory"]);
    }

    [Fact]
    public void Compile_VmNode_CountsItsLauncherWithQemuAndKubeVirtsHelpers_AndRoomForASecondLauncherPod()
    {
        var plan = LabCompiler.Compile(Lab(
            new NodeDefinition { Name = "vm", Image = "d", Kind = NodeKind.Vm, Resources = new ResourcesDefinition { Cpu = "1", Memory = "256Mi" } },
            new NodeDefinition { Name = "box", Image = "i", Resources = new ResourcesDefinition { Cpu = "500m", Memory = "128Mi" } }), Session);

        // vm: 1 vCPU + 100m helpers, 256Mi guest + 256Mi qemu + 128Mi helpers; box: 500m, 128Mi.
        Assert.Equal(new Dictionary<string, string>
        {
            ["pods"] = "3",
            ["limits.cpu"] = "1600m",
            ["requests.cpu"] = "1600m",
            ["limits.memory"] = "768Mi",
            ["requests.memory"] = "768Mi",
        }, Hard(plan));
    }
}
