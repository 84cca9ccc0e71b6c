using System.Net;
using System.Net.Sockets;
using k8s;
using k8s.Models;
using LabOrchestrator.Compilation;
using LabOrchestrator.Engines;

namespace LabOrchestrator.Podman;

/// <summary>Turns a planned pod into the pod Podman should play: what Kubernetes gives by itself, Podman must be told.</summary>
internal static class PodAdapter
{
    /// <summary>The pod annotation listing a node's web ports (comma-separated) when they are reached on the node's address.</summary>
    public const string WebPortsAnnotation = Engines.LabLabels.Prefix + "web-ports";

    /// <summary>Where kube play reads a pod's seccomp profile from (Podman 4.3 ignores <c>securityContext.seccompProfile</c>).</summary>
    public const string SeccompAnnotation = "seccomp.security.alpha.kubernetes.io/pod";

    public static V1Pod Adapt(CompiledPlan plan, PlannedNode node, IReadOnlyList<NodeAddress> addresses, PodmanEngineOptions options, PodmanService service)
    {
        // A copy: the plan is shared and must stay what the Kubernetes engine would apply.
        var pod = KubernetesYaml.Deserialize<V1Pod>(KubernetesYaml.Serialize(node.Pod));
        pod.Metadata.Name = PodmanNames.Pod(plan.SessionId, node.Name);
        // Podman has no namespaces; the session id in the pod name keeps pods apart.
        pod.Metadata.NamespaceProperty = null;
        pod.Spec.Hostname = node.Name;
        // One machine: there is no cluster node to keep a session's pods together on.
        pod.Spec.Affinity = null;
        pod.Spec.HostAliases = HostAliases(node.Name, addresses);
        foreach (var container in pod.Spec.Containers)
        {
            ResolveSecrets(plan, node.Name, container);
            DefaultResources(container, options);
            if (RootfulPodman.IsRootful)
            {
                ReachOnNodeAddress(pod, container);
            }
            else
            {
                PublishOnLoopback(container);
            }
        }

        pod.Metadata.Annotations ??= new Dictionary<string, string>();
        pod.Metadata.Annotations[SeccompAnnotation] = service.SeccompFor(node.AllowUserNamespaces);
        // Multus's networks are Kubernetes'; this engine puts nodes on its own networks (SessionApplier).
        pod.Metadata.Annotations.Remove(MultusNetworks.Annotation);

        return pod;
    }

    private static void DefaultResources(V1Container container, PodmanEngineOptions options)
    {
        container.Resources ??= new V1ResourceRequirements();
        container.Resources.Limits ??= new Dictionary<string, ResourceQuantity>();
        container.Resources.Requests ??= new Dictionary<string, ResourceQuantity>();
        foreach (var (name, value) in new[] { ("cpu", options.DefaultCpu), ("memory", options.DefaultMemory) })
        {
            if (!container.Resources.Limits.ContainsKey(name))
            {
                container.Resources.Limits[name] = new ResourceQuantity(value);
                container.Resources.Requests[name] = new ResourceQuantity(value);
            }
        }
    }

    /// <summary>
    /// Rootful Podman: the host reaches a node's web ports at the node's own address on its bridge, so nothing is
    /// published. kube play 4.3 publishes every container port, on all host addresses when it has no hostPort, and a
    /// port on 127.0.0.1 makes netavark switch route_localnet on (see <see cref="BridgeSettings"/>): the ports go, and an
    /// annotation keeps which ones the node offers.
    /// </summary>
    private static void ReachOnNodeAddress(V1Pod pod, V1Container container)
    {
        var named = (container.Ports ?? []).Where(p => !string.IsNullOrEmpty(p.Name)).Select(p => p.ContainerPort).ToList();
        container.Ports = null;
        if (named.Count > 0)
        {
            pod.Metadata.Annotations ??= new Dictionary<string, string>();
            pod.Metadata.Annotations[WebPortsAnnotation] = string.Join(',', named.Select(p => p.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }
    }

    /// <summary>
    /// aardvark-dns only knows session-unique pod names, so node names come from /etc/hosts: each node sharing a
    /// network with this one, at its address on the first network they share (in this node's order).
    /// </summary>
    private static List<V1HostAlias> HostAliases(string self, IReadOnlyList<NodeAddress> addresses)
    {
        var mine = addresses.Where(a => a.Node == self).Select(a => a.Network).ToList();
        var aliases = new List<V1HostAlias>();
        foreach (var group in addresses.GroupBy(a => a.Node))
        {
            var shared = mine.Select(n => group.FirstOrDefault(a => a.Network == n)).FirstOrDefault(a => a is not null);
            if (shared is not null)
            {
                aliases.Add(new V1HostAlias { Ip = shared.Ip, Hostnames = [group.Key] });
            }
        }

        return aliases;
    }

    private static void ResolveSecrets(CompiledPlan plan, string node, V1Container container)
    {
        foreach (var variable in container.Env ?? [])
        {
            if (variable.ValueFrom?.SecretKeyRef is not { } reference)
            {
                continue;
            }

            var secret = plan.Secrets.FirstOrDefault(s => s.Metadata?.Name == reference.Name);
            string? value = null;
            if (secret?.StringData?.TryGetValue(reference.Key, out var text) == true)
            {
                value = text;
            }
            else if (secret?.Data?.TryGetValue(reference.Key, out var bytes) == true)
            {
                value = System.Text.Encoding.UTF8.GetString(bytes);
            }

            if (value is null && reference.Optional != true)
            {
                throw new EngineException($"Node '{node}' reads {variable.Name} from secret '{reference.Name}' key '{reference.Key}', which the plan does not have.");
            }

            variable.Value = value ?? "";
            variable.ValueFrom = null;
        }
    }

    /// <summary>
    /// Rootless Podman: named ports are the node's web ports, reachable from this host only, on a free port, never
    /// beyond loopback (rootless networks never touch the host's route_localnet).
    /// </summary>
    private static void PublishOnLoopback(V1Container container)
    {
        foreach (var port in container.Ports ?? [])
        {
            if (string.IsNullOrEmpty(port.Name))
            {
                continue;
            }

            port.HostIP = IPAddress.Loopback.ToString();
            port.HostPort = FreeLoopbackPort();
        }
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)listener.LocalEndPoint!).Port;
    }
}
