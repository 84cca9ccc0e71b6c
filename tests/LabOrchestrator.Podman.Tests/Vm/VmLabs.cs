using LabOrchestrator.Labs;

namespace LabOrchestrator.Podman.Tests.Vm;

/// <summary>Labs with a VM node (images/build-vm.sh builds its images).</summary>
internal static class VmLabs
{
    public const string DiskImage = "localhost/vm-tiny:latest";

    /// <summary>A VM and a container on one network.</summary>
    public static LabDefinition VmAndContainer() => new()
    {
        Name = "vm-and-container",
        Networks = [new NetworkDefinition("lan")],
        Nodes =
        [
            new NodeDefinition
            {
                Name = "vm",
                Image = DiskImage,
                Kind = NodeKind.Vm,
                Networks = ["lan"],
                Resources = new ResourcesDefinition { Cpu = "1", Memory = "256Mi" },
                Access = new AccessDefinition { Terminal = true, Desktop = true },
            },
            TestLabs.Idler("peer", "lan"),
        ],
    };
}
