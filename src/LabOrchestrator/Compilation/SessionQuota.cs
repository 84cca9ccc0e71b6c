using System.Globalization;
using k8s.Models;
using LabOrchestrator.Labs;

namespace LabOrchestrator.Compilation;

/// <summary>
/// A session's ResourceQuota and LimitRange: the namespace may hold exactly what the lab asks for, so a learner who
/// can reach the cluster's API from a node, or a bug, cannot start more. The Podman engine does not use them (it
/// limits each container itself).
/// </summary>
public static class SessionQuota
{
    public const string Name = "session";

    /// <summary>
    /// What KubeVirt runs in a virt-launcher pod beside the guest's compute container (the containerDisk and console-log
    /// containers, each with its own small limits): room for them, per VM node.
    /// </summary>
    public static readonly ResourceQuantity KubeVirtHelpersCpu = new("100m");

    /// <inheritdoc cref="KubeVirtHelpersCpu"/>
    public static readonly ResourceQuantity KubeVirtHelpersMemory = new("128Mi");

    private static readonly string[] Resources = ["cpu", "memory"];

    /// <summary>
    /// Pods: one per node, plus one per VM node, since KubeVirt briefly runs a second virt-launcher pod when a VM restarts
    /// or moves. CPU and memory: every node's requests and limits as its pod has them (the LimitRange's defaults where
    /// the lab gives none); a VM node counts as its launcher pod (guest memory plus qemu's, whole vCPUs) plus
    /// <see cref="KubeVirtHelpersCpu"/> and <see cref="KubeVirtHelpersMemory"/>.
    /// </summary>
    public static V1ResourceQuota Quota(IReadOnlyList<PlannedNode> nodes, string ns, IReadOnlyDictionary<string, string> labels)
    {
        ArgumentNullException.ThrowIfNull(nodes);
        var totals = new Dictionary<string, decimal>(StringComparer.Ordinal);
        foreach (var node in nodes)
        {
            foreach (var container in node.Pod.Spec.Containers)
            {
                foreach (var resource in Resources)
                {
                    var limit = Find(container.Resources?.Limits, resource) ?? Default(resource);
                    var request = Find(container.Resources?.Requests, resource) ?? limit;
                    Add(totals, "limits." + resource, limit.ToDecimal());
                    Add(totals, "requests." + resource, request.ToDecimal());
                }
            }

            if (node.Kind == NodeKind.Vm)
            {
                foreach (var prefix in new[] { "limits.", "requests." })
                {
                    Add(totals, prefix + "cpu", KubeVirtHelpersCpu.ToDecimal());
                    Add(totals, prefix + "memory", KubeVirtHelpersMemory.ToDecimal());
                }
            }
        }

        var hard = new Dictionary<string, ResourceQuantity>
        {
            ["pods"] = new((nodes.Count + nodes.Count(n => n.Kind == NodeKind.Vm)).ToString(CultureInfo.InvariantCulture)),
        };
        foreach (var (name, total) in totals)
        {
            hard[name] = name.EndsWith(".cpu", StringComparison.Ordinal) ? Millicores(total) : Mebibytes(total);
        }

        return new V1ResourceQuota
        {
            ApiVersion = "v1",
            Kind = "ResourceQuota",
            Metadata = new V1ObjectMeta { Name = Name, NamespaceProperty = ns, Labels = new Dictionary<string, string>(labels) },
            Spec = new V1ResourceQuotaSpec { Hard = hard },
        };
    }

    /// <summary>Every container without its own limits and requests gets <see cref="NodeDefaults"/>, as on Podman.</summary>
    public static V1LimitRange Limits(string ns, IReadOnlyDictionary<string, string> labels) => new()
    {
        ApiVersion = "v1",
        Kind = "LimitRange",
        Metadata = new V1ObjectMeta { Name = Name, NamespaceProperty = ns, Labels = new Dictionary<string, string>(labels) },
        Spec = new V1LimitRangeSpec
        {
            Limits =
            [
                new V1LimitRangeItem
                {
                    Type = "Container",
                    DefaultProperty = Defaults(),
                    DefaultRequest = Defaults(),
                },
            ],
        },
    };

    private static Dictionary<string, ResourceQuantity> Defaults() => new()
    {
        ["cpu"] = new ResourceQuantity(NodeDefaults.Cpu),
        ["memory"] = new ResourceQuantity(NodeDefaults.Memory),
    };

    private static ResourceQuantity Default(string resource) => new(resource == "cpu" ? NodeDefaults.Cpu : NodeDefaults.Memory);

    private static ResourceQuantity? Find(IDictionary<string, ResourceQuantity>? quantities, string resource) =>
        quantities is not null && quantities.TryGetValue(resource, out var quantity) ? quantity : null;

    private static void Add(Dictionary<string, decimal> totals, string name, decimal value) =>
        totals[name] = totals.GetValueOrDefault(name) + value;

    // Written as the API server would canonicalise them (whole cores, else millicores; Mi/Gi), so re-applying changes nothing.
    private static ResourceQuantity Millicores(decimal cores)
    {
        var milli = (long)Math.Ceiling(cores * 1000);
        return new ResourceQuantity(milli % 1000 == 0
            ? (milli / 1000).ToString(CultureInfo.InvariantCulture)
            : milli.ToString(CultureInfo.InvariantCulture) + "m");
    }

    private static ResourceQuantity Mebibytes(decimal bytes)
    {
        var mebibytes = (long)Math.Ceiling(bytes / (1024 * 1024));
        return new ResourceQuantity(mebibytes % 1024 == 0
            ? (mebibytes / 1024).ToString(CultureInfo.InvariantCulture) + "Gi"
            : mebibytes.ToString(CultureInfo.InvariantCulture) + "Mi");
    }
}
