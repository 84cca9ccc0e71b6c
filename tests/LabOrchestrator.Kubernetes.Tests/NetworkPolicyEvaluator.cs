using k8s.Models;

namespace LabOrchestrator.Kubernetes.Tests;

/// <summary>
/// Kubernetes' NetworkPolicy semantics for pod-to-pod traffic, as data: a pod is isolated in a direction once a policy
/// of that type selects it, and then only what some selecting policy's rules allow gets through; a connection needs
/// the sender's egress and the receiver's ingress. Peers without a namespaceSelector mean the policy's own namespace.
/// ipBlock peers never match pods here (the compiler's only ipBlocks exclude every private range pods live in).
/// </summary>
internal static class NetworkPolicyEvaluator
{
    public static bool Allows(IReadOnlyList<V1NetworkPolicy> policies, IReadOnlyDictionary<string, IDictionary<string, string>> namespaceLabels, V1Pod from, V1Pod to) =>
        Direction(policies, namespaceLabels, from, to, "Egress") && Direction(policies, namespaceLabels, to, from, "Ingress");

    private static bool Direction(IReadOnlyList<V1NetworkPolicy> policies, IReadOnlyDictionary<string, IDictionary<string, string>> namespaceLabels, V1Pod subject, V1Pod peer, string type)
    {
        var selecting = policies
            .Where(p => p.Metadata.NamespaceProperty == subject.Metadata.NamespaceProperty)
            .Where(p => Types(p).Contains(type) && Matches(p.Spec.PodSelector, subject.Metadata.Labels))
            .ToList();
        if (selecting.Count == 0)
        {
            return true;
        }

        return selecting.Any(p => type == "Ingress"
            ? (p.Spec.Ingress ?? []).Any(r => r.FromProperty is null || r.FromProperty.Any(x => PeerMatches(x, p, namespaceLabels, peer)))
            : (p.Spec.Egress ?? []).Any(r => r.To is null || r.To.Any(x => PeerMatches(x, p, namespaceLabels, peer))));
    }

    private static bool PeerMatches(V1NetworkPolicyPeer peer, V1NetworkPolicy policy, IReadOnlyDictionary<string, IDictionary<string, string>> namespaceLabels, V1Pod pod)
    {
        if (peer.IpBlock is not null)
        {
            return false;
        }

        var inNamespace = peer.NamespaceSelector is null
            ? pod.Metadata.NamespaceProperty == policy.Metadata.NamespaceProperty
            : Matches(peer.NamespaceSelector, namespaceLabels.GetValueOrDefault(pod.Metadata.NamespaceProperty));
        return inNamespace && (peer.PodSelector is null || Matches(peer.PodSelector, pod.Metadata.Labels));
    }

    private static IList<string> Types(V1NetworkPolicy policy) =>
        policy.Spec.PolicyTypes ?? (policy.Spec.Egress is { Count: > 0 } ? ["Ingress", "Egress"] : ["Ingress"]);

    private static bool Matches(V1LabelSelector selector, IDictionary<string, string>? labels)
    {
        labels ??= new Dictionary<string, string>();
        var byLabels = (selector.MatchLabels ?? new Dictionary<string, string>()).All(l => labels.TryGetValue(l.Key, out var v) && v == l.Value);
        var byExpressions = (selector.MatchExpressions ?? []).All(e => e.OperatorProperty switch
        {
            "In" => labels.TryGetValue(e.Key, out var v) && e.Values.Contains(v),
            "NotIn" => !labels.TryGetValue(e.Key, out var v) || !e.Values.Contains(v),
            "Exists" => labels.ContainsKey(e.Key),
            "DoesNotExist" => !labels.ContainsKey(e.Key),
            _ => throw new NotSupportedException($"selector operator {e.OperatorProperty}"),
        });
        return byLabels && byExpressions;
    }
}
