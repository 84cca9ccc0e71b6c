using k8s;
using k8s.Models;
using LabOrchestrator.Compilation;
using LabOrchestrator.Engines;
using LabOrchestrator.Kubernetes.Engine;
using LabOrchestrator.Labs;
using Microsoft.Extensions.Logging.Abstractions;

namespace LabOrchestrator.Kubernetes.Tests;

/// <summary>The Kubernetes engine against a real API server: what it creates, re-applies, reports and deletes.</summary>
[Collection(ApiServerCollection.Name)]
public sealed class KubernetesEngineTests(ApiServerFixture cluster)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<string> ExampleLabs => new(Directory.GetDirectories(Path.Combine(RepositoryRoot.Path, "labs")).Select(Path.GetFileName).Order()!);

    [Theory]
    [MemberData(nameof(ExampleLabs))]
    public async Task Apply_ExampleLab_CreatesEveryObject_ReappliesWithoutChange_AndDeleteRemovesTheNamespace(string labName)
    {
        cluster.RequireApiServer();
        await cluster.EnsureKubeVirtCrdsAsync(Ct);
        using var admin = cluster.Admin();
        var engine = Engine(cluster, admin);
        var plan = Plan(labName);
        var ns = plan.Namespace.Metadata.Name;
        var progress = new List<NodeStatus>();

        await ApplyWithKubeletAsync(engine, admin, plan, new FakeKubelet(admin), progress);

        var expected = SessionObjects.From(plan).Select(o => $"{o.Kind}/{o.Name}").Order().ToList();
        var session = new Dictionary<string, string> { [LabLabels.Session] = plan.SessionId };
        var listed = await engine.ListAsync(session, Ct);
        // Secrets are not listed (the orchestrator may not read them), nor quotas, limits and Multus networks: they go with the namespace.
        string[] unlisted = ["secret", "resourcequota", "limitrange", "networkattachmentdefinition"];
        Assert.Equal(expected.Select(e => e.Split('/')[0].ToLowerInvariant()).Where(k => !unlisted.Contains(k)).Order(), listed.Select(r => r.Kind).Order());
        Assert.All(listed, r => Assert.Equal(plan.LabName, r.Labels[LabLabels.Lab]));
        Assert.All(plan.Nodes, n => Assert.Contains(progress, s => s.Node == n.Name && s.State == NodeState.Running));
        Assert.All(await engine.GetStatusAsync(plan.SessionId, Ct), s => Assert.Equal(NodeState.Running, s.State));
        Assert.Equal(plan.Nodes.Select(n => n.Name).Order(), (await engine.GetStatusAsync(plan.SessionId, Ct)).Select(s => s.Node).Order());

        var before = await ResourceVersionsAsync(admin, ns);
        await engine.ApplyAsync(plan, null, Ct);
        var after = await ResourceVersionsAsync(admin, ns);
        var changed = before.Keys.Union(after.Keys).Where(k => before.GetValueOrDefault(k) != after.GetValueOrDefault(k)).ToList();
        Assert.True(changed.Count == 0, "Re-applying changed: " + string.Join(", ", changed.Select(k => $"{k} {before.GetValueOrDefault(k) ?? "(none)"} → {after.GetValueOrDefault(k) ?? "(none)"}")));

        await engine.DeleteAsync(plan.SessionId, Ct);
        Assert.Empty(await engine.ListAsync(session, Ct));
        Assert.DoesNotContain(ns, (await admin.CoreV1.ListNamespaceAsync(cancellationToken: Ct)).Items.Select(n => n.Metadata.Name));
        await engine.DeleteAsync(plan.SessionId, Ct);
    }

    public static TheoryData<string, string, string> PodFailures => new()
    {
        { "ImagePullBackOff", "Back-off pulling image \"registry.example/none:1\"", "cannot be pulled" },
        { "ErrImagePull", "rpc error: not found", "cannot be pulled" },
        { "CrashLoopBackOff", "back-off 10s restarting failed container", "keeps stopping" },
    };

    [Theory]
    [MemberData(nameof(PodFailures))]
    public async Task Apply_NodeTheKubeletCannotRun_FailsWithAPlainReason_AndKeepsTheClusterWordsAsDetail(string reason, string kubeletMessage, string learnerText)
    {
        cluster.RequireApiServer();
        using var admin = cluster.Admin();
        var engine = Engine(cluster, admin);
        var plan = Plan("two-hosts");
        var kubelet = new FakeKubelet(admin)
        {
            PodStatus = pod => FakeKubelet.NodeOf(pod) == plan.Nodes[1].Name ? FakeKubelet.Waiting(reason, kubeletMessage) : FakeKubelet.Running(),
        };
        var progress = new List<NodeStatus>();
        try
        {
            var failure = await Assert.ThrowsAsync<EngineException>(() => ApplyWithKubeletAsync(engine, admin, plan, kubelet, progress));

            Assert.Contains(learnerText, failure.Message, StringComparison.Ordinal);
            Assert.Contains(reason, failure.Message, StringComparison.Ordinal);
            var failed = Assert.Single(progress, s => s.State == NodeState.Failed);
            Assert.Equal(plan.Nodes[1].Name, failed.Node);
            Assert.Contains(learnerText, failed.Message, StringComparison.Ordinal);
            Assert.DoesNotContain(reason, failed.Message, StringComparison.Ordinal);
        }
        finally
        {
            await engine.DeleteAsync(plan.SessionId, Ct);
        }
    }

    [Fact]
    public async Task Apply_PodNoServerHasRoomFor_WaitsAndSaysSo_ThenRunsOnceScheduled()
    {
        cluster.RequireApiServer();
        using var admin = cluster.Admin();
        var engine = Engine(cluster, admin);
        var plan = Plan("hello-linux");
        var scheduled = false;
        var kubelet = new FakeKubelet(admin) { PodStatus = _ => FakeKubelet.Unschedulable() };
        var progress = new SignalingProgress(status =>
        {
            if (status.State == NodeState.Pending && status.Message?.Contains("room in the cluster", StringComparison.Ordinal) == true && !scheduled)
            {
                scheduled = true;
                // The cluster found room: the kubelet now starts the pod.
                var pod = plan.Nodes[0].Pod.Metadata.Name;
                _ = admin.CoreV1.PatchNamespacedPodStatusAsync(new V1Patch(new { status = FakeKubelet.Running() }, V1Patch.PatchType.MergePatch), pod, plan.Namespace.Metadata.Name);
            }
        });
        try
        {
            await ApplyWithKubeletAsync(engine, admin, plan, kubelet, progress);

            Assert.True(scheduled);
            Assert.Equal(NodeState.Running, progress.Seen[^1].State);
        }
        finally
        {
            await engine.DeleteAsync(plan.SessionId, Ct);
        }
    }

    [Fact]
    public async Task Apply_VirtualMachineThatFails_FailsTheNode_AndStatusSaysItWithoutClusterWords()
    {
        cluster.RequireApiServer();
        await cluster.EnsureKubeVirtCrdsAsync(Ct);
        using var admin = cluster.Admin();
        var engine = Engine(cluster, admin);
        var plan = Plan("vm-and-container");
        var kubelet = new FakeKubelet(admin) { VmiStatus = _ => new { phase = "Failed", reason = "qemu: no bootable device" } };
        try
        {
            var failure = await Assert.ThrowsAsync<EngineException>(() => ApplyWithKubeletAsync(engine, admin, plan, kubelet, []));

            Assert.Contains("virtual machine stopped with an error", failure.Message, StringComparison.Ordinal);
            var vm = plan.Nodes.Single(n => n.Kind == NodeKind.Vm).Name;
            var status = Assert.Single(await engine.GetStatusAsync(plan.SessionId, Ct), s => s.Node == vm);
            Assert.Equal(NodeState.Failed, status.State);
            Assert.DoesNotContain("qemu", status.Message, StringComparison.Ordinal);
        }
        finally
        {
            await engine.DeleteAsync(plan.SessionId, Ct);
        }
    }

    internal static KubernetesEngine Engine(ApiServerFixture cluster, IKubernetes client) =>
        new(client, new ClusterWebSockets(KubernetesClientConfiguration.BuildConfigFromConfigFile(cluster.Kubeconfig)), new KubernetesEngineOptions { ResyncPeriod = TimeSpan.FromSeconds(1) }, TimeProvider.System, NullLogger<KubernetesEngine>.Instance);

    internal static CompiledPlan Plan(string labName)
    {
        var lab = LabParser.Parse(LabSource.FromPath(Path.Combine(RepositoryRoot.Path, "labs", labName))).GetLabOrThrow();
        var credentials = lab.Nodes.SelectMany(n => n.Credentials.Select(c => new ResolvedCredential(n.Name, c.Name, c.Username, c.Password ?? "generated-" + c.Name))).ToList();
        var session = "k" + Guid.NewGuid().ToString("N")[..10];
        return LabCompiler.Compile(lab, new SessionContext(session, "alice", credentials));
    }

    private static async Task ApplyWithKubeletAsync(KubernetesEngine engine, IKubernetes admin, CompiledPlan plan, FakeKubelet kubelet, ICollection<NodeStatus> progress)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var running = kubelet.RunAsync(plan.Namespace.Metadata.Name, stop.Token);
        try
        {
            await engine.ApplyAsync(plan, progress as IProgress<NodeStatus> ?? new ListProgress(progress), Ct).WaitAsync(TimeSpan.FromMinutes(2), Ct);
        }
        finally
        {
            await stop.CancelAsync();
            await running;
        }
    }

    /// <summary>resourceVersion of every object in the namespace, by kind and name: unchanged means nothing was written.</summary>
    private static async Task<Dictionary<string, string>> ResourceVersionsAsync(IKubernetes admin, string ns)
    {
        var versions = new Dictionary<string, string>
        {
            ["namespace"] = (await admin.CoreV1.ReadNamespaceAsync(ns, cancellationToken: Ct)).Metadata.ResourceVersion,
        };
        foreach (var p in (await admin.CoreV1.ListNamespacedPodAsync(ns, cancellationToken: Ct)).Items)
        {
            versions["pod/" + p.Metadata.Name] = p.Metadata.ResourceVersion;
        }

        foreach (var s in (await admin.CoreV1.ListNamespacedServiceAsync(ns, cancellationToken: Ct)).Items)
        {
            versions["service/" + s.Metadata.Name] = s.Metadata.ResourceVersion;
        }

        // The engine's Secrets only: the controller-manager adds a service account token to every new namespace, at a
        // moment of its own choosing (before or after the re-apply).
        foreach (var s in (await admin.CoreV1.ListNamespacedSecretAsync(ns, cancellationToken: Ct)).Items.Where(s => s.Type != "kubernetes.io/service-account-token"))
        {
            versions["secret/" + s.Metadata.Name] = s.Metadata.ResourceVersion;
        }

        foreach (var p in (await admin.NetworkingV1.ListNamespacedNetworkPolicyAsync(ns, cancellationToken: Ct)).Items)
        {
            versions["networkpolicy/" + p.Metadata.Name] = p.Metadata.ResourceVersion;
        }

        foreach (var l in (await admin.CoreV1.ListNamespacedLimitRangeAsync(ns, cancellationToken: Ct)).Items)
        {
            versions["limitrange/" + l.Metadata.Name] = l.Metadata.ResourceVersion;
        }

        // The controller-manager writes a quota's status whenever it counts, and the API server (1.20) records a new time
        // for the engine's apply of a quota even when its spec is the same (seen in CI): what must not change is the spec.
        foreach (var q in (await admin.CoreV1.ListNamespacedResourceQuotaAsync(ns, cancellationToken: Ct)).Items)
        {
            versions["resourcequota/" + q.Metadata.Name] = string.Join(",", q.Spec.Hard.OrderBy(h => h.Key, StringComparer.Ordinal).Select(h => $"{h.Key}={h.Value}"));
        }

        var nads = System.Text.Json.JsonSerializer.SerializeToNode(await admin.CustomObjects.ListNamespacedCustomObjectAsync("k8s.cni.cncf.io", "v1", ns, "network-attachment-definitions", cancellationToken: Ct))!;
        foreach (var n in nads["items"]!.AsArray())
        {
            versions["network-attachment-definition/" + n!["metadata"]!["name"]] = n["metadata"]!["resourceVersion"]!.GetValue<string>();
        }

        return versions;
    }

    private sealed class ListProgress(ICollection<NodeStatus> seen) : IProgress<NodeStatus>
    {
        public void Report(NodeStatus value)
        {
            lock (seen)
            {
                seen.Add(value);
            }
        }
    }

    private sealed class SignalingProgress(Action<NodeStatus> onReport) : List<NodeStatus>, IProgress<NodeStatus>
    {
        public List<NodeStatus> Seen => this;

        public void Report(NodeStatus value)
        {
            Add(value);
            onReport(value);
        }
    }
}
