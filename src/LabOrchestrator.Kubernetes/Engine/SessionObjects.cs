using System.Text.Json.Nodes;
using k8s;
using LabOrchestrator.Compilation;
using LabOrchestrator.Labs;

namespace LabOrchestrator.Kubernetes.Engine;

/// <summary>
/// The objects of a compiled plan in the order they are applied: the namespace first, its quota and default limits,
/// then what pods need (credentials, names, policies, Multus networks), then the nodes. A VM node is its KubeVirt VirtualMachine, not the launcher pod the
/// Podman engine plays.
/// </summary>
internal static class SessionObjects
{
    public static IReadOnlyList<SessionObject> From(CompiledPlan plan)
    {
        var ns = plan.Namespace.Metadata.Name;
        var objects = new List<SessionObject> { Typed("", "v1", "namespaces", "Namespace", null, plan.Namespace) };
        // Limits before anything that runs, so every pod is counted and defaulted.
        if (plan.ResourceQuota is { } quota)
        {
            objects.Add(Typed("", "v1", "resourcequotas", "ResourceQuota", ns, quota));
        }

        if (plan.LimitRange is { } limits)
        {
            objects.Add(Typed("", "v1", "limitranges", "LimitRange", ns, limits));
        }

        objects.AddRange(plan.Secrets.Select(s => Typed("", "v1", "secrets", "Secret", ns, s)).Select(WithDataOnly));
        objects.AddRange(plan.Services.Select(s => Typed("", "v1", "services", "Service", ns, s)).Select(WithPortProtocols));
        objects.AddRange(plan.NetworkPolicies.Select(p => Typed("networking.k8s.io", "v1", "networkpolicies", "NetworkPolicy", ns, p)));
        objects.AddRange(plan.NetworkAttachments.Select(n => new SessionObject(
            "k8s.cni.cncf.io", "v1", "network-attachment-definitions", ns, n["metadata"]!["name"]!.GetValue<string>(), (JsonObject)n.DeepClone())));
        foreach (var node in plan.Nodes)
        {
            objects.Add(node.Kind == NodeKind.Vm && node.VirtualMachine is { } vm
                ? new SessionObject("kubevirt.io", "v1", "virtualmachines", ns, node.Name, (JsonObject)vm.DeepClone())
                : Typed("", "v1", "pods", "Pod", ns, node.Pod));
        }

        return objects;
    }

    private static SessionObject Typed(string group, string version, string plural, string kind, string? ns, IKubernetesObject<k8s.Models.V1ObjectMeta> item)
    {
        var body = JsonNode.Parse(KubernetesJson.Serialize(item))!.AsObject();
        body["apiVersion"] = group.Length == 0 ? version : $"{group}/{version}";
        body["kind"] = kind;
        return new SessionObject(group, version, plural, ns, item.Metadata.Name, body);
    }

    /// <summary>
    /// The API server stores a Secret's stringData as data; applying stringData again would rewrite the Secret every
    /// time, so the engine applies data, as stored.
    /// </summary>
    private static SessionObject WithDataOnly(SessionObject secret)
    {
        if (secret.Body["stringData"] is JsonObject strings)
        {
            var data = secret.Body["data"] as JsonObject ?? [];
            foreach (var (key, value) in strings)
            {
                data[key] = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(value!.GetValue<string>()));
            }

            secret.Body.Remove("stringData");
            secret.Body["data"] = data;
        }

        return secret;
    }

    /// <summary>Server-side apply needs each Service port's protocol spelled out (it is part of the port's key).</summary>
    private static SessionObject WithPortProtocols(SessionObject service)
    {
        if (service.Body["spec"]?["ports"] is JsonArray ports)
        {
            foreach (var port in ports.OfType<JsonObject>().Where(p => p["protocol"] is null))
            {
                port["protocol"] = "TCP";
            }
        }

        return service;
    }
}
