using k8s;
using k8s.Models;
using LabOrchestrator.Compilation;
using LabOrchestrator.Engines;

namespace LabOrchestrator.Kubernetes.Tests;

/// <summary>
/// The NetworkPolicies of every example lab, as the API server stores them: two sessions of the lab side by side, and
/// every ordered pair of their pods. Allowed exactly when both are in the same session and share a lab network.
/// </summary>
[Collection(ApiServerCollection.Name)]
public sealed class NetworkPolicyTests(ApiServerFixture cluster)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [MemberData(nameof(KubernetesEngineTests.ExampleLabs), MemberType = typeof(KubernetesEngineTests))]
    public async Task Policies_AllowExactlyTheNodePairsThatShareANetwork_AndNothingAcrossSessions(string labName)
    {
        cluster.RequireApiServer();
        await cluster.EnsureKubeVirtCrdsAsync(Ct);
        using var admin = cluster.Admin();
        var engine = KubernetesEngineTests.Engine(cluster, admin);
        var plans = new[] { KubernetesEngineTests.Plan(labName), KubernetesEngineTests.Plan(labName) };
        try
        {
            foreach (var plan in plans)
            {
                using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
                var kubelet = new FakeKubelet(admin).RunAsync(plan.Namespace.Metadata.Name, stop.Token);
                await engine.ApplyAsync(plan, null, Ct).WaitAsync(TimeSpan.FromMinutes(2), Ct);
                await stop.CancelAsync();
                await kubelet;
            }

            var policies = new List<V1NetworkPolicy>();
            var pods = new List<(CompiledPlan Plan, V1Pod Pod)>();
            var namespaces = new Dictionary<string, IDictionary<string, string>>();
            foreach (var plan in plans)
            {
                var ns = plan.Namespace.Metadata.Name;
                policies.AddRange((await admin.NetworkingV1.ListNamespacedNetworkPolicyAsync(ns, cancellationToken: Ct)).Items);
                namespaces[ns] = (await admin.CoreV1.ReadNamespaceAsync(ns, cancellationToken: Ct)).Metadata.Labels;
                // A VM node's traffic comes from its virt-launcher pod, which carries the VirtualMachine template's labels.
                foreach (var node in plan.Nodes)
                {
                    pods.Add((plan, node.Kind == Labs.NodeKind.Vm ? LauncherOf(node, ns) : await admin.CoreV1.ReadNamespacedPodAsync(node.Pod.Metadata.Name, ns, cancellationToken: Ct)));
                }
            }

            foreach (var (fromPlan, from) in pods)
            {
                foreach (var (toPlan, to) in pods.Where(p => !ReferenceEquals(p.Pod, from)))
                {
                    var fromNode = from.Metadata.Labels[LabLabels.Node];
                    var toNode = to.Metadata.Labels[LabLabels.Node];
                    var shared = fromPlan == toPlan && fromPlan.Networks.Any(n => n.Nodes.Contains(fromNode) && n.Nodes.Contains(toNode));
                    Assert.True(
                        shared == NetworkPolicyEvaluator.Allows(policies, namespaces, from, to),
                        $"{labName}: {fromPlan.SessionId}/{fromNode} → {toPlan.SessionId}/{toNode} should be {(shared ? "allowed" : "denied")}");
                }
            }
        }
        finally
        {
            foreach (var plan in plans)
            {
                await engine.DeleteAsync(plan.SessionId, CancellationToken.None);
            }
        }
    }

    private static V1Pod LauncherOf(PlannedNode node, string ns) => new()
    {
        Metadata = new V1ObjectMeta
        {
            Name = "virt-launcher-" + node.Name,
            NamespaceProperty = ns,
            Labels = node.VirtualMachine!["spec"]!["template"]!["metadata"]!["labels"]!.AsObject().ToDictionary(l => l.Key, l => l.Value!.GetValue<string>()),
        },
    };
}
