using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using k8s.Models;
using LabOrchestrator.Engines;
using LabOrchestrator.Labs;

namespace LabOrchestrator.Compilation;

/// <summary>
/// Lab networks beyond the first on Kubernetes: the first rides the pod network (NetworkPolicies segment it); every
/// further one is a Multus NetworkAttachmentDefinition of the same name, a Linux bridge of its own per session with
/// static addresses, so nodes keep fixed addresses in it. Pods name theirs in <see cref="Annotation"/>.
/// </summary>
public static class MultusNetworks
{
    public const string ApiVersion = "k8s.cni.cncf.io/v1";
    public const string Kind = "NetworkAttachmentDefinition";

    /// <summary>Multus's pod annotation: the further networks a pod joins, with its address in each.</summary>
    public const string Annotation = "k8s.v1.cni.cncf.io/networks";

    /// <summary>Addresses below this host number are left free (as the Podman engine does).</summary>
    public const int FirstHost = 10;

    /// <summary>Lab networks (by name) that are Multus networks: all but the first.</summary>
    public static IReadOnlyList<string> Further(LabDefinition lab) => lab.Networks.Skip(1).Select(n => n.Name).ToList();

    /// <summary>
    /// 10.250.N.0/24 for the lab's network number N (1 for the second). Every session has bridges of its own, which
    /// route nowhere, so sessions may use the same subnets.
    /// </summary>
    public static string Subnet(int networkIndex) => $"10.250.{networkIndex.ToString(CultureInfo.InvariantCulture)}.0/24";

    /// <summary>A node's address in a further network, by its place among the lab's nodes.</summary>
    public static string Address(int networkIndex, int nodeIndex)
    {
        if (FirstHost + nodeIndex > 254)
        {
            throw new ArgumentOutOfRangeException(nameof(nodeIndex), "A lab network has room for 245 nodes.");
        }

        return $"10.250.{networkIndex.ToString(CultureInfo.InvariantCulture)}.{(FirstHost + nodeIndex).ToString(CultureInfo.InvariantCulture)}/24";
    }

    /// <summary>The host bridge of one session's network: at most 15 characters, as Linux requires, and unique per session.</summary>
    public static string Bridge(string sessionId, string network)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{sessionId}/{network}"));
        return "lab" + Convert.ToHexStringLower(hash)[..10];
    }

    public static JsonObject Definition(string sessionId, PlannedNetwork network, string ns, IReadOnlyDictionary<string, string> labels)
    {
        ArgumentNullException.ThrowIfNull(network);
        // static IPAM with the "ips" capability: each pod's address comes from its annotation.
        var config = new JsonObject
        {
            ["cniVersion"] = "0.3.1",
            ["name"] = network.Name,
            ["type"] = "bridge",
            ["bridge"] = Bridge(sessionId, network.Name),
            ["isGateway"] = false,
            ["ipMasq"] = false,
            ["capabilities"] = new JsonObject { ["ips"] = true },
            ["ipam"] = new JsonObject { ["type"] = "static" },
        };
        var labelJson = new JsonObject();
        foreach (var (key, value) in labels)
        {
            labelJson[key] = value;
        }

        return new JsonObject
        {
            ["apiVersion"] = ApiVersion,
            ["kind"] = Kind,
            ["metadata"] = new JsonObject
            {
                ["name"] = network.Name,
                ["namespace"] = ns,
                ["labels"] = labelJson,
                ["annotations"] = new JsonObject { [LabOrchestrator.Engines.LabLabels.Prefix + "subnet"] = network.Subnet },
            },
            ["spec"] = new JsonObject { ["config"] = config.ToJsonString() },
        };
    }

    /// <summary>The value of <see cref="Annotation"/> for a node: each further network it joins with its address; null when none.</summary>
    public static string? AnnotationFor(string node, IEnumerable<PlannedNetwork> networks)
    {
        var joined = networks
            .Where(n => n.Addresses.ContainsKey(node))
            .Select(n => new JsonObject { ["name"] = n.Name, ["ips"] = new JsonArray(n.Addresses[node]) })
            .ToArray<JsonNode?>();
        return joined.Length == 0 ? null : new JsonArray(joined).ToJsonString(new JsonSerializerOptions { WriteIndented = false });
    }

    /// <summary>The label every cluster node carries with its own name: pods on one cluster node share its bridges.</summary>
    public const string HostnameTopology = "kubernetes.io/hostname";

    /// <summary>
    /// Keeps a session's nodes on one cluster node when the lab has further networks: a bridge exists on one cluster node
    /// only, so nodes that join it must run there. Required pod affinity to the session's own label; the first node is
    /// placed freely (the scheduler accepts a pod that matches its own term when nothing else does yet), and the others
    /// follow it. A session too big for one cluster node stays Pending as unschedulable, which the engine reports.
    /// </summary>
    public static V1Affinity SameClusterNode(string sessionId) => new()
    {
        PodAffinity = new V1PodAffinity
        {
            RequiredDuringSchedulingIgnoredDuringExecution =
            [
                new V1PodAffinityTerm
                {
                    LabelSelector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { [LabLabels.Session] = sessionId } },
                    TopologyKey = HostnameTopology,
                },
            ],
        },
    };
}
