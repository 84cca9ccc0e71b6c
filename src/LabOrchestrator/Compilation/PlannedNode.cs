using System.Text.Json.Nodes;
using k8s.Models;
using LabOrchestrator.Labs;

namespace LabOrchestrator.Compilation;

/// <summary>
/// A node of the plan: its pod, and the lab networks (in order) it joins. A <c>kind: vm</c> node's <see cref="Pod"/> is
/// engine-neutral (labels, environment, and the guest's footprint as resources); the node also has a KubeVirt
/// <see cref="VirtualMachine"/> (what the Kubernetes engine applies instead of the pod) and the guest's size, from which
/// the Podman engine makes its own qemu launcher pod.
/// </summary>
public sealed record PlannedNode(string Name, NodeKind Kind, V1Pod Pod, IReadOnlyList<string> Networks, AccessDefinition Access)
{
    /// <summary>A VM node's containerDisk image (the lab's <c>image</c>); null for containers.</summary>
    public string? DiskImage { get; init; }

    /// <summary>A VM node's guest memory (a Kubernetes quantity); null for containers.</summary>
    public string? VmMemory { get; init; }

    /// <summary>A VM node's whole virtual CPUs; 0 for containers.</summary>
    public int VmCpus { get; init; }

    /// <summary>Whether the lab lets the node create user namespaces; engines refuse them otherwise.</summary>
    public bool AllowUserNamespaces { get; init; }

    /// <summary>A VM node's KubeVirt <c>kubevirt.io/v1 VirtualMachine</c>; null for containers.</summary>
    public JsonObject? VirtualMachine { get; init; }

    /// <summary>The node's per-learner folders (<c>storage</c>), each also a persistentVolumeClaim volume of <see cref="Pod"/>.</summary>
    public IReadOnlyList<PlannedStorage> Storage { get; init; } = [];
}
