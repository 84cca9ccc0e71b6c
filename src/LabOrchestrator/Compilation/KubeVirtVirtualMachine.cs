using System.Text.Json.Nodes;
using LabOrchestrator.Labs;

namespace LabOrchestrator.Compilation;

/// <summary>
/// A VM node as a KubeVirt <c>kubevirt.io/v1 VirtualMachine</c> (KubernetesClient has no KubeVirt models, so a
/// <see cref="JsonObject"/>): the node's image as a containerDisk, the lab file's sizes, KubeVirt's default serial
/// console and VNC, the pod network with bridge binding and a Multus network per further lab network the node joins.
/// Credentials are added by <see cref="VmCloudInit"/>.
/// </summary>
public static class KubeVirtVirtualMachine
{
    public const string ApiVersion = "kubevirt.io/v1";
    public const string Kind = "VirtualMachine";
    public const string RootDisk = "rootdisk";
    public const string PodInterface = "default";

    /// <summary>The interface and network name of a further lab network (the first one rides on the pod network).</summary>
    public static string NetworkInterface(string network) => $"net-{network}";

    /// <summary>
    /// The VirtualMachine of <paramref name="node"/>, on the pod network and on <paramref name="multusNetworks"/> (the
    /// further lab networks it joins, see <see cref="MultusNetworks"/>); <paramref name="networksAnnotation"/> is its
    /// <see cref="MultusNetworks.Annotation"/> value, if any.
    /// </summary>
    public static JsonObject Compile(NodeDefinition node, string ns, IReadOnlyDictionary<string, string> labels, IEnumerable<string> multusNetworks, string? networksAnnotation = null)
    {
        ArgumentNullException.ThrowIfNull(node);
        ArgumentNullException.ThrowIfNull(labels);
        var memory = VmNodes.Memory(node.Resources);
        var cpus = VmNodes.Cpus(node.Resources);
        var resources = new JsonObject { ["memory"] = memory };
        if (node.Resources.Cpu is not null)
        {
            resources["cpu"] = node.Resources.Cpu;
        }

        ArgumentNullException.ThrowIfNull(multusNetworks);
        // The pod network carries the first lab network (NetworkPolicies segment it by the pod's labels, as for
        // containers); each further lab network is a Multus NetworkAttachmentDefinition of the same name.
        var interfaces = new JsonArray { new JsonObject { ["name"] = PodInterface, ["bridge"] = new JsonObject() } };
        var networks = new JsonArray { new JsonObject { ["name"] = PodInterface, ["pod"] = new JsonObject() } };
        foreach (var network in multusNetworks)
        {
            interfaces.Add(new JsonObject { ["name"] = NetworkInterface(network), ["bridge"] = new JsonObject() });
            networks.Add(new JsonObject { ["name"] = NetworkInterface(network), ["multus"] = new JsonObject { ["networkName"] = network } });
        }

        return new JsonObject
        {
            ["apiVersion"] = ApiVersion,
            ["kind"] = Kind,
            ["metadata"] = new JsonObject { ["name"] = node.Name, ["namespace"] = ns, ["labels"] = Labels(labels) },
            ["spec"] = new JsonObject
            {
                ["runStrategy"] = "Always",
                ["template"] = new JsonObject
                {
                    // On the virt-launcher pod: the node's headless Service and the NetworkPolicies select it by these.
                    ["metadata"] = TemplateMetadata(labels, networksAnnotation),
                    ["spec"] = new JsonObject
                    {
                        ["hostname"] = node.Name,
                        ["terminationGracePeriodSeconds"] = 0,
                        ["domain"] = new JsonObject
                        {
                            ["cpu"] = new JsonObject { ["cores"] = cpus },
                            ["memory"] = new JsonObject { ["guest"] = memory },
                            ["resources"] = new JsonObject { ["requests"] = resources.DeepClone(), ["limits"] = resources },
                            ["devices"] = new JsonObject
                            {
                                // KubeVirt's defaults, spelled out: the serial console is the node's terminal, VNC its desktop.
                                ["autoattachSerialConsole"] = true,
                                ["autoattachGraphicsDevice"] = true,
                                ["disks"] = new JsonArray
                                {
                                    new JsonObject { ["name"] = RootDisk, ["bootOrder"] = 1, ["disk"] = new JsonObject { ["bus"] = "virtio" } },
                                },
                                ["interfaces"] = interfaces,
                            },
                        },
                        ["networks"] = networks,
                        ["volumes"] = new JsonArray
                        {
                            new JsonObject
                            {
                                ["name"] = RootDisk,
                                ["containerDisk"] = new JsonObject { ["image"] = node.Image, ["imagePullPolicy"] = "IfNotPresent" },
                            },
                        },
                    },
                },
            },
        };
    }

    private static JsonObject TemplateMetadata(IReadOnlyDictionary<string, string> labels, string? networksAnnotation)
    {
        var metadata = new JsonObject { ["labels"] = Labels(labels) };
        if (networksAnnotation is not null)
        {
            // The node's addresses in its further networks, as for a container node's pod.
            metadata["annotations"] = new JsonObject { [MultusNetworks.Annotation] = networksAnnotation };
        }

        return metadata;
    }

    private static JsonObject Labels(IReadOnlyDictionary<string, string> labels)
    {
        var json = new JsonObject();
        foreach (var (key, value) in labels)
        {
            json[key] = value;
        }

        return json;
    }
}
