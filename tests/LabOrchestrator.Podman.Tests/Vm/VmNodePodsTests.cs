using k8s;
using k8s.Models;
using LabOrchestrator.Compilation;
using LabOrchestrator.Engines;
using LabOrchestrator.Labs;

namespace LabOrchestrator.Podman.Tests.Vm;

/// <summary>The launcher pod the Podman engine makes of a VM node's engine-neutral plan (no Podman needed).</summary>
public sealed class VmNodePodsTests
{
    private const string Disk = "registry.example.com/labs/vm-tiny:1";

    private static readonly LabDefinition Lab = new()
    {
        Name = "vm-lab",
        Networks = [new NetworkDefinition("lan")],
        Nodes =
        [
            new NodeDefinition
            {
                Name = "vm",
                Image = Disk,
                Kind = NodeKind.Vm,
                Networks = ["lan"],
                Resources = new ResourcesDefinition { Cpu = "1500m", Memory = "512Mi" },
                Access = new AccessDefinition { Desktop = true },
            },
        ],
    };

    private static (V1Pod Pod, CompiledPlan Plan) Launcher(LabDefinition lab, PodmanEngineOptions? options = null)
    {
        var plan = LabCompiler.Compile(lab, new SessionContext("s1", "alice", []));
        var node = plan.GetNode("vm");
        var pod = KubernetesYaml.Deserialize<V1Pod>(KubernetesYaml.Serialize(node.Pod));
        VmNodePods.Adapt(pod, plan, node, options ?? new PodmanEngineOptions { VmUseKvm = false });
        return (pod, plan);
    }

    [Fact]
    public void Adapt_VmNode_RunsTheLauncherWithTheSessionsDiskVolumeReadOnlyAtDisk()
    {
        var (pod, plan) = Launcher(Lab);

        var container = Assert.Single(pod.Spec.Containers);
        Assert.Equal(VmNodePods.DefaultLauncherImage, container.Image);
        Assert.Null(container.Command);
        Assert.Null(container.Args);
        Assert.False(container.Tty);
        var mount = Assert.Single(container.VolumeMounts);
        Assert.Equal(("/disk", true), (mount.MountPath, mount.ReadOnlyProperty == true));
        var volume = Assert.Single(pod.Spec.Volumes);
        Assert.Equal(mount.Name, volume.Name);
        Assert.Equal(PodmanNames.DiskVolume(plan.SessionId, "vm"), volume.PersistentVolumeClaim.ClaimName);
        Assert.Equal(["ALL"], container.SecurityContext.Capabilities.Drop);
        Assert.Equal([.. NodeSecurity.BaseCapabilities, "NET_ADMIN", "NET_RAW", "MKNOD"], container.SecurityContext.Capabilities.Add);
        Assert.Equal(LabLabels.NodeKindVm, pod.Metadata.Labels[LabLabels.NodeKind]);
    }

    [Fact]
    public void Adapt_VmNode_SizesTheGuestFromThePlan_AndKeepsThePlansFootprintAsLimits()
    {
        var container = Launcher(Lab).Pod.Spec.Containers[0];

        Assert.Equal("512Mi", container.Env.Single(e => e.Name == "LAB_VM_MEMORY").Value);
        Assert.Equal("2", container.Env.Single(e => e.Name == "LAB_VM_CPUS").Value);
        Assert.Equal(new ResourceQuantity("768Mi"), container.Resources.Limits["memory"]);
        Assert.Equal(new ResourceQuantity("2"), container.Resources.Limits["cpu"]);
        Assert.Equal("vm", container.Env.Single(e => e.Name == "LAB_NODE").Value);
    }

    [Fact]
    public void Adapt_VmNodeWithoutResources_BootsTheDefaultGuestSize()
    {
        var lab = Lab with { Nodes = [Lab.Nodes[0] with { Resources = new ResourcesDefinition() }] };

        var container = Launcher(lab).Pod.Spec.Containers[0];

        Assert.Equal(VmNodes.DefaultMemory, container.Env.Single(e => e.Name == "LAB_VM_MEMORY").Value);
        Assert.Equal("1", container.Env.Single(e => e.Name == "LAB_VM_CPUS").Value);
    }

    [Fact]
    public void Adapt_ConfiguredLauncherImage_IsTheOnePlayed_AndThePlanIsLeftAsItWas()
    {
        var plan = LabCompiler.Compile(Lab, new SessionContext("s1", "alice", []));
        var node = plan.GetNode("vm");
        var pod = KubernetesYaml.Deserialize<V1Pod>(KubernetesYaml.Serialize(node.Pod));

        VmNodePods.Adapt(pod, plan, node, new PodmanEngineOptions { VmLauncherImage = "localhost/my-launcher:2", VmUseKvm = false });

        Assert.Equal("localhost/my-launcher:2", pod.Spec.Containers[0].Image);
        Assert.Equal(Disk, node.Pod.Spec.Containers[0].Image);
    }
}
