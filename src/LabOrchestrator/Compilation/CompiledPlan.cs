using k8s.Models;
using LabOrchestrator.Labs;

namespace LabOrchestrator.Compilation;

/// <summary>
/// The Kubernetes objects that make one session of a lab: the single source of truth for what runs,
/// applied as-is by the Kubernetes engine and translated by the Podman engine.
/// </summary>
public sealed record CompiledPlan
{
    public required string SessionId { get; init; }
    public required string LabName { get; init; }
    public required V1Namespace Namespace { get; init; }
    public required IReadOnlyList<PlannedNode> Nodes { get; init; }
    public required IReadOnlyList<PlannedNetwork> Networks { get; init; }
    public required IReadOnlyList<V1Secret> Secrets { get; init; }
    public required IReadOnlyList<V1Service> Services { get; init; }
    /// <summary>Default-deny for the namespace plus one allow rule per lab network.</summary>
    public required IReadOnlyList<V1NetworkPolicy> NetworkPolicies { get; init; }
    /// <summary>
    /// Where nodes may connect beyond the lab's networks. Engines enforce it themselves (Podman: host firewall rules);
    /// on Kubernetes it is also in <see cref="NetworkPolicies"/>.
    /// </summary>
    public EgressPolicy Egress { get; init; } = EgressPolicy.None;
    /// <summary>What the session's namespace may hold (Kubernetes; the Podman engine limits each container itself).</summary>
    public V1ResourceQuota? ResourceQuota { get; init; }
    /// <summary>Default limits and requests of containers without their own (<see cref="NodeDefaults"/>).</summary>
    public V1LimitRange? LimitRange { get; init; }
    /// <summary>Multus <c>k8s.cni.cncf.io/v1 NetworkAttachmentDefinition</c>s, one per lab network beyond the first (see <see cref="MultusNetworks"/>).</summary>
    public IReadOnlyList<System.Text.Json.Nodes.JsonObject> NetworkAttachments { get; init; } = [];
    /// <summary>Labels every object of this session carries.</summary>
    public required IReadOnlyDictionary<string, string> Labels { get; init; }

    public PlannedNode GetNode(string name) =>
        Nodes.FirstOrDefault(n => n.Name == name)
        ?? throw new ArgumentException($"The plan has no node '{name}'.", nameof(name));
}
