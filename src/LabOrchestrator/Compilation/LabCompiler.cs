using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using LabOrchestrator.Engines;
using LabOrchestrator.Labs;

namespace LabOrchestrator.Compilation;

/// <summary>Turns a lab plus a session into the Kubernetes objects that run it.</summary>
public static class LabCompiler
{
    public const string ContainerName = "node";

    /// <summary>The volume of desktop nodes that holds their VNC server's unix socket, and where it is mounted.</summary>
    public const string DesktopSocketVolume = "desktop-socket";

    /// <inheritdoc cref="DesktopSocketVolume"/>
    public const string DesktopSocketFolder = "/tmp/.lab-desktop";
    public const string CredentialsSecretName = "credentials";

    public static string NamespaceFor(string sessionId) => $"lab-{sessionId}";

    public static CompiledPlan Compile(LabDefinition lab, SessionContext session)
    {
        ArgumentNullException.ThrowIfNull(lab);
        ArgumentNullException.ThrowIfNull(session);
        var ns = NamespaceFor(session.SessionId);
        var labels = new Dictionary<string, string>
        {
            [LabLabels.Session] = session.SessionId,
            [LabLabels.Lab] = lab.Name,
            [LabLabels.ManagedBy] = LabLabels.ManagedByValue,
        };
        if (session.Instance is { } instance)
        {
            labels[LabLabels.Instance] = instance;
        }

        var networks = lab.Networks.Select((n, index) => CompileNetwork(lab, n, index)).ToList();
        var nodes = lab.Nodes
            .Select(n => CompileNode(lab, n, session, ns, labels, networks))
            .ToList();
        var secrets = session.Credentials.Count == 0 ? new List<V1Secret>() : [CompileSecret(session, ns, labels)];
        secrets.AddRange(lab.Nodes
            .Where(n => n.Kind == NodeKind.Vm && session.Credentials.Any(c => c.Node == n.Name))
            .Select(n => VmCloudInit.Secret(n.Name, session.Credentials.Where(c => c.Node == n.Name), ns, labels)));

        return new CompiledPlan
        {
            SessionId = session.SessionId,
            LabName = lab.Name,
            Namespace = new V1Namespace { Metadata = new V1ObjectMeta { Name = ns, Labels = Copy(labels) } },
            Nodes = nodes,
            Networks = networks,
            Secrets = secrets,
            Services = lab.Nodes.Select(n => CompileService(n, ns, labels)).ToList(),
            NetworkPolicies = CompileNetworkPolicies(lab, ns, labels),
            Egress = lab.Egress,
            Labels = labels,
            ResourceQuota = SessionQuota.Quota(nodes, ns, labels),
            LimitRange = SessionQuota.Limits(ns, labels),
            NetworkAttachments = networks.Where(n => n.Subnet is not null).Select(n => MultusNetworks.Definition(session.SessionId, n, ns, labels)).ToList(),
        };
    }

    private static PlannedNetwork CompileNetwork(LabDefinition lab, NetworkDefinition network, int index)
    {
        var members = lab.Nodes.Where(x => x.Networks.Contains(network.Name)).Select(x => x.Name).ToList();
        if (index == 0)
        {
            return new PlannedNetwork(network.Name, members);
        }

        return new PlannedNetwork(network.Name, members)
        {
            Subnet = MultusNetworks.Subnet(index),
            Addresses = lab.Nodes
                .Select((node, nodeIndex) => (node, nodeIndex))
                .Where(x => x.node.Networks.Contains(network.Name))
                .ToDictionary(x => x.node.Name, x => MultusNetworks.Address(index, x.nodeIndex)),
        };
    }

    /// <summary>The key in the credentials secret that holds one field of a credential.</summary>
    public static string SecretKey(string node, string credential, string field) => $"{node}.{credential}.{field}";

    /// <summary>The environment variable a node sees one field of its credential in.</summary>
    public static string CredentialVariable(string credential, string field) =>
        $"LAB_CREDENTIAL_{credential.ToUpperInvariant().Replace('-', '_')}_{field.ToUpperInvariant()}";

    private static PlannedNode CompileNode(LabDefinition lab, NodeDefinition node, SessionContext session, string ns, Dictionary<string, string> labels, List<PlannedNetwork> networks)
    {
        var pod = CompilePod(lab, node, session, ns, labels);
        var attachments = MultusNetworks.AnnotationFor(node.Name, networks);
        if (attachments is not null)
        {
            pod.Metadata.Annotations = new Dictionary<string, string> { [MultusNetworks.Annotation] = attachments };
        }

        var colocated = MultusNetworks.Further(lab).Count > 0;
        if (colocated)
        {
            pod.Spec.Affinity = MultusNetworks.SameClusterNode(session.SessionId);
        }

        if (node.Kind != NodeKind.Vm)
        {
            return new PlannedNode(node.Name, node.Kind, pod, node.Networks, node.Access)
            {
                AllowUserNamespaces = node.AllowUserNamespaces,
                Storage = StorageVolumes.Add(pod, lab, node, session),
            };
        }

        var multus = networks.Where(n => n.Addresses.ContainsKey(node.Name)).Select(n => n.Name);
        var vm = KubeVirtVirtualMachine.Compile(node, ns, new Dictionary<string, string>(pod.Metadata.Labels), multus, attachments);
        if (colocated)
        {
            vm["spec"]!["template"]!["spec"]!["affinity"] = JsonNode.Parse(KubernetesJson.Serialize(pod.Spec.Affinity));
        }

        if (session.Credentials.Any(c => c.Node == node.Name))
        {
            VmCloudInit.Attach(vm, node.Name);
        }

        // The pod of a VM node is engine-neutral: labels, network annotation and environment as any node's, and the
        // guest's whole footprint (guest memory plus the hypervisor's, whole vCPUs) as its resources, which the
        // session's quota counts. Each engine runs the guest its own way: the Podman engine turns this pod into a qemu
        // launcher pod (VmNodePods), the Kubernetes engine applies the VirtualMachine instead.
        pod.Spec.Containers[0].Resources = VmNodes.Footprint(node.Resources);
        return new PlannedNode(node.Name, node.Kind, pod, node.Networks, node.Access)
        {
            DiskImage = node.Image,
            VmMemory = VmNodes.Memory(node.Resources),
            VmCpus = VmNodes.Cpus(node.Resources),
            VirtualMachine = vm,
        };
    }

    private static V1Pod CompilePod(LabDefinition lab, NodeDefinition node, SessionContext session, string ns, Dictionary<string, string> labels)
    {
        var podLabels = Copy(labels);
        podLabels[LabLabels.Node] = node.Name;
        if (node.Kind == NodeKind.Vm)
        {
            podLabels[LabLabels.NodeKind] = LabLabels.NodeKindVm;
        }

        foreach (var network in node.Networks)
        {
            podLabels[LabLabels.NetworkMember(network)] = "true";
        }

        var env = new List<V1EnvVar>
        {
            new() { Name = "LAB_SESSION_ID", Value = session.SessionId },
            new() { Name = "LAB_NAME", Value = lab.Name },
            new() { Name = "LAB_NODE", Value = node.Name },
        };
        env.AddRange(node.Env.Select(kv => new V1EnvVar { Name = kv.Key, Value = kv.Value }));
        foreach (var credential in session.Credentials.Where(c => c.Node == node.Name))
        {
            foreach (var field in new[] { "username", "password" })
            {
                env.Add(new V1EnvVar
                {
                    Name = CredentialVariable(credential.Name, field),
                    ValueFrom = new V1EnvVarSource
                    {
                        SecretKeyRef = new V1SecretKeySelector { Key = SecretKey(node.Name, credential.Name, field), Name = CredentialsSecretName },
                    },
                });
            }
        }

        var container = new V1Container
        {
            Name = ContainerName,
            Image = node.Image,
            ImagePullPolicy = "IfNotPresent",
            Command = node.Command.Count == 0 ? null : node.Command.ToList(),
            Args = node.Args.Count == 0 ? null : node.Args.ToList(),
            Env = env,
            Ports = node.Access.Http.Count == 0
                ? null
                : node.Access.Http.Select(p => new V1ContainerPort { Name = p.Name, ContainerPort = p.Port, Protocol = "TCP" }).ToList(),
            Resources = CompileResources(node.Resources),
            SecurityContext = NodeSecurity.Container(node.Capabilities, node.AllowUserNamespaces),
            ReadinessProbe = NodeReadiness.Probe(),
            // Keeps images whose default command is an interactive shell running.
            Stdin = true,
            Tty = true,
        };

        // A desktop's VNC server listens on a unix socket in this folder (see images/lab-desktop), never on the network.
        // An engine may put the folder where it can reach the socket itself (Podman: a host folder only root can enter).
        List<V1Volume>? volumes = null;
        if (node.Access.Desktop)
        {
            container.VolumeMounts = [new V1VolumeMount { Name = DesktopSocketVolume, MountPath = DesktopSocketFolder }];
            volumes = [new V1Volume { Name = DesktopSocketVolume, EmptyDir = new V1EmptyDirVolumeSource { Medium = "Memory" } }];
        }

        return new V1Pod
        {
            ApiVersion = "v1",
            Kind = "Pod",
            Metadata = new V1ObjectMeta { Name = node.Name, NamespaceProperty = ns, Labels = podLabels },
            Spec = new V1PodSpec
            {
                Hostname = node.Name,
                RestartPolicy = "Always",
                AutomountServiceAccountToken = false,
                EnableServiceLinks = false,
                SecurityContext = NodeSecurity.Pod(),
                Containers = [container],
                Volumes = volumes,
            },
        };
    }

    private static V1ResourceRequirements? CompileResources(ResourcesDefinition resources)
    {
        var limits = new Dictionary<string, ResourceQuantity>();
        if (resources.Cpu is not null)
        {
            limits["cpu"] = new ResourceQuantity(resources.Cpu);
        }

        if (resources.Memory is not null)
        {
            limits["memory"] = new ResourceQuantity(resources.Memory);
        }

        return limits.Count == 0 ? null : new V1ResourceRequirements { Limits = limits, Requests = new Dictionary<string, ResourceQuantity>(limits) };
    }

    private static V1Secret CompileSecret(SessionContext session, string ns, Dictionary<string, string> labels) => new()
    {
        ApiVersion = "v1",
        Kind = "Secret",
        Metadata = new V1ObjectMeta { Name = CredentialsSecretName, NamespaceProperty = ns, Labels = Copy(labels) },
        Type = "Opaque",
        StringData = session.Credentials
            .SelectMany(c => new[]
            {
                KeyValuePair.Create(SecretKey(c.Node, c.Name, "username"), c.Username),
                KeyValuePair.Create(SecretKey(c.Node, c.Name, "password"), c.Password),
            })
            .ToDictionary(),
    };

    private static V1Service CompileService(NodeDefinition node, string ns, Dictionary<string, string> labels) => new()
    {
        ApiVersion = "v1",
        Kind = "Service",
        Metadata = new V1ObjectMeta { Name = node.Name, NamespaceProperty = ns, Labels = Copy(labels) },
        // Headless: the node's name resolves to its pod, on every port, as it does on Podman.
        Spec = new V1ServiceSpec
        {
            ClusterIP = "None",
            Selector = new Dictionary<string, string> { [LabLabels.Session] = labels[LabLabels.Session], [LabLabels.Node] = node.Name },
        },
    };

    private static List<V1NetworkPolicy> CompileNetworkPolicies(LabDefinition lab, string ns, Dictionary<string, string> labels)
    {
        var policies = new List<V1NetworkPolicy>
        {
            new()
            {
                ApiVersion = "networking.k8s.io/v1",
                Kind = "NetworkPolicy",
                Metadata = new V1ObjectMeta { Name = "default-deny", NamespaceProperty = ns, Labels = Copy(labels) },
                // Egress too: nothing leaves a node but what the egress policies below allow.
                Spec = new V1NetworkPolicySpec { PodSelector = new V1LabelSelector(), PolicyTypes = ["Ingress", "Egress"] },
            },
        };
        foreach (var network in lab.Networks)
        {
            var member = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { [LabLabels.NetworkMember(network.Name)] = "true" } };
            policies.Add(new V1NetworkPolicy
            {
                ApiVersion = "networking.k8s.io/v1",
                Kind = "NetworkPolicy",
                Metadata = new V1ObjectMeta { Name = $"network-{network.Name}", NamespaceProperty = ns, Labels = Copy(labels) },
                Spec = new V1NetworkPolicySpec
                {
                    PodSelector = member,
                    PolicyTypes = ["Ingress"],
                    Ingress = [new V1NetworkPolicyIngressRule { FromProperty = [new V1NetworkPolicyPeer { PodSelector = member }] }],
                },
            });
        }

        policies.AddRange(EgressPolicies.Compile(lab.Egress, ns, () => new V1ObjectMeta { NamespaceProperty = ns, Labels = Copy(labels) }));
        return policies;
    }

    private static Dictionary<string, string> Copy(IReadOnlyDictionary<string, string> labels) => new(labels);
}
