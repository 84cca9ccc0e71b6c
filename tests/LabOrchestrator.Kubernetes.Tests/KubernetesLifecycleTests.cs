using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using LabOrchestrator.Compilation;
using LabOrchestrator.Engines;
using LabOrchestrator.Kubernetes.Engine;
using LabOrchestrator.Labs;
using Microsoft.Extensions.Logging.Abstractions;

namespace LabOrchestrator.Kubernetes.Tests;

/// <summary>
/// Pause, resume, reset and save on the Kubernetes engine against the real API server. KubeVirt's <c>pause</c> and
/// <c>unpause</c> are an aggregated API that the test server does not have, so they go to
/// <see cref="FakeKubeletStreams.KubeVirtAction"/>, which writes the VirtualMachineInstance's Paused condition into the
/// real API server as virt-handler would; everything the engine reads back is real.
/// </summary>
[Collection(ApiServerCollection.Name)]
public sealed class KubernetesLifecycleTests(ApiServerFixture cluster)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Pause_SessionOfVms_FreezesEachThroughKubeVirt_ReportsThemPaused_AndResumeRunsThemAgain()
    {
        var lab = LabParser.Parse(LabSource.FromPath(Path.Combine(RepositoryRoot.Path, "labs", "vm-and-container"))).GetLabOrThrow();
        var vmsOnly = lab with { Nodes = lab.Nodes.Where(n => n.Kind == NodeKind.Vm).ToList() };
        await using var session = await SessionAsync(LabCompiler.Compile(vmsOnly, new SessionContext(NewId(), "alice", [])));

        await session.Engine.PauseAsync(session.Id, Ct);
        await session.Engine.PauseAsync(session.Id, Ct);
        var paused = await session.Engine.GetStatusAsync(session.Id, Ct);
        var vm = Assert.Single(paused);
        Assert.Equal(new NodeStatus("vm", NodeState.Stopped, "This virtual machine is paused."), vm);

        await session.Engine.ResumeAsync(session.Id, Ct);
        await session.Engine.ResumeAsync(session.Id, Ct);

        Assert.Equal([new NodeStatus("vm", NodeState.Running)], await session.Engine.GetStatusAsync(session.Id, Ct));
        // Twice each, once each reached KubeVirt: the engine skips a VM already in the state asked for.
        Assert.Equal([$"{session.Namespace}/vm/pause", $"{session.Namespace}/vm/unpause"], session.KubeVirtCalls);
    }

    [Fact]
    public async Task Pause_SessionWithAContainerNode_IsRefusedNamingTheNode_AndNothingIsPaused()
    {
        await using var session = await SessionAsync(KubernetesEngineTests.Plan("vm-and-container"));

        var refused = await Assert.ThrowsAsync<EngineException>(() => session.Engine.PauseAsync(session.Id, Ct));

        Assert.StartsWith("Pausing keeps memory only for virtual machines on the Kubernetes engine; node 'box' is a container", refused.Message, StringComparison.Ordinal);
        // The same sentence before any call, for the session service to refuse the learner's request with.
        var lab = LabParser.Parse(LabSource.FromPath(Path.Combine(RepositoryRoot.Path, "labs", "vm-and-container"))).GetLabOrThrow();
        Assert.Equal(refused.Message, session.Engine.PauseRefusal(lab));
        Assert.Null(session.Engine.PauseRefusal(lab with { Nodes = lab.Nodes.Where(n => n.Kind == NodeKind.Vm).ToList() }));
        Assert.Empty(session.KubeVirtCalls);
        Assert.All(await session.Engine.GetStatusAsync(session.Id, Ct), s => Assert.Equal(NodeState.Running, s.State));
        // Nothing was paused, so resuming (as the reconciler does after an interrupted pause) is no error and does nothing.
        await session.Engine.ResumeAsync(session.Id, Ct);
        Assert.Empty(session.KubeVirtCalls);
    }

    [Fact]
    public async Task Pause_ClusterWithoutKubeVirtsApi_FailsWithTheReasonAndTheFix()
    {
        var lab = LabParser.Parse(LabSource.FromPath(Path.Combine(RepositoryRoot.Path, "labs", "vm-and-container"))).GetLabOrThrow();
        await using var session = await SessionAsync(LabCompiler.Compile(lab with { Nodes = lab.Nodes.Where(n => n.Kind == NodeKind.Vm).ToList() }, new SessionContext(NewId(), "alice", [])));
        session.Streams.KubeVirtAction = null;

        var refused = await Assert.ThrowsAsync<EngineException>(() => session.Engine.PauseAsync(session.Id, Ct));

        Assert.Contains("KubeVirt refused to pause VM node 'vm' (404", refused.Message, StringComparison.Ordinal);
        Assert.Contains("install KubeVirt", refused.HostFix ?? "", StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reset_ContainerNode_ReplacesItsPod_LeavesTheOtherNodeUntouched_AndTwiceIsFine()
    {
        await using var session = await SessionAsync(KubernetesEngineTests.Plan("two-hosts"));
        var before = await PodsAsync(session);
        var progress = new ConcurrentQueue<NodeStatus>();

        await session.ResetAsync("server", new SyncProgress(progress.Enqueue));
        var once = await PodsAsync(session);
        await session.ResetAsync("server", null);
        var twice = await PodsAsync(session);

        Assert.NotEqual(before["server"].Uid, once["server"].Uid);
        Assert.NotEqual(once["server"].Uid, twice["server"].Uid);
        Assert.Equal(before["client"], twice["client"]);
        Assert.All(progress, p => Assert.Equal("server", p.Node));
        Assert.Equal(NodeState.Creating, progress.First().State);
        Assert.Equal(NodeState.Running, progress.Last().State);
        Assert.All(await session.Engine.GetStatusAsync(session.Id, Ct), s => Assert.Equal(NodeState.Running, s.State));
    }

    [Fact]
    public async Task Reset_VmNode_ReplacesItsVirtualMachine_AndLeavesTheContainerAlone()
    {
        await using var session = await SessionAsync(KubernetesEngineTests.Plan("vm-and-container"));
        var vmBefore = await VmUidAsync(session);
        var podsBefore = await PodsAsync(session);

        await session.ResetAsync("vm", null);

        Assert.NotEqual(vmBefore, await VmUidAsync(session));
        Assert.Equal(podsBefore, await PodsAsync(session));
        Assert.All(await session.Engine.GetStatusAsync(session.Id, Ct), s => Assert.Equal(NodeState.Running, s.State));
    }

    [Fact]
    public async Task Save_IsRefusedWithTheReason()
    {
        cluster.RequireApiServer();
        using var admin = cluster.Admin();

        var refused = await Assert.ThrowsAsync<EngineException>(() => KubernetesEngineTests.Engine(cluster, admin).SaveAsync("any", new Dictionary<string, string>(), Ct));

        Assert.StartsWith("Sessions on the Kubernetes engine cannot be saved", refused.Message, StringComparison.Ordinal);
    }

    internal static string NewId() => "k" + Guid.NewGuid().ToString("N")[..10];

    private async Task<Dictionary<string, (string Uid, string Version)>> PodsAsync(Session session) =>
        (await session.Admin.CoreV1.ListNamespacedPodAsync(session.Namespace, cancellationToken: Ct)).Items
            .ToDictionary(p => FakeKubelet.NodeOf(p), p => (p.Metadata.Uid, p.Metadata.ResourceVersion));

    private async Task<string> VmUidAsync(Session session)
    {
        var vm = JsonSerializer.SerializeToNode(await session.Admin.CustomObjects.GetNamespacedCustomObjectAsync("kubevirt.io", "v1", session.Namespace, "virtualmachines", "vm", Ct));
        return vm!["metadata"]!["uid"]!.GetValue<string>();
    }

    private async Task<Session> SessionAsync(CompiledPlan plan)
    {
        cluster.RequireApiServer();
        await cluster.EnsureKubeVirtCrdsAsync(Ct);
        var admin = cluster.Admin();
        var streams = await FakeKubeletStreams.StartAsync(Ct);
        var configuration = new KubernetesClientConfiguration { Host = streams.Address.ToString(), AccessToken = streams.Token };
        var engine = new KubernetesEngine(admin, new ClusterWebSockets(configuration), new KubernetesEngineOptions { ResyncPeriod = TimeSpan.FromSeconds(1) }, TimeProvider.System, NullLogger<KubernetesEngine>.Instance);
        var session = new Session(engine, admin, streams, plan);
        streams.KubeVirtAction = session.KubeVirtAsync;
        try
        {
            await session.WithKubeletAsync(() => engine.ApplyAsync(plan, null, Ct));
        }
        catch
        {
            await session.DisposeAsync();
            throw;
        }

        return session;
    }

    private sealed class SyncProgress(Action<NodeStatus> report) : IProgress<NodeStatus>
    {
        public void Report(NodeStatus value) => report(value);
    }

    private sealed record Session(KubernetesEngine Engine, k8s.Kubernetes Admin, FakeKubeletStreams Streams, CompiledPlan Plan) : IAsyncDisposable
    {
        public string Id => Plan.SessionId;
        public string Namespace => Plan.Namespace.Metadata.Name;
        public ConcurrentQueue<string> KubeVirtCalls { get; } = new();

        public Task ResetAsync(string node, IProgress<NodeStatus>? progress) => WithKubeletAsync(() => Engine.ResetNodeAsync(Plan, node, progress, Ct));

        public async Task WithKubeletAsync(Func<Task> action)
        {
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
            var kubelet = new FakeKubelet(Admin).RunAsync(Namespace, stop.Token);
            try
            {
                await action().WaitAsync(TimeSpan.FromMinutes(2), Ct);
            }
            finally
            {
                await stop.CancelAsync();
                await kubelet;
            }
        }

        /// <summary>What virt-api and virt-handler do: 409 when already in that state, else the Paused condition set or removed.</summary>
        public async Task<(int, string)> KubeVirtAsync(string ns, string vmi, string action)
        {
            KubeVirtCalls.Enqueue($"{ns}/{vmi}/{action}");
            var current = JsonSerializer.SerializeToNode(await Admin.CustomObjects.GetNamespacedCustomObjectAsync("kubevirt.io", "v1", ns, "virtualmachineinstances", vmi, Ct));
            var paused = KubernetesEngine.IsPaused(current);
            if (paused == (action == "pause"))
            {
                return (409, action == "pause" ? "VMI is already paused" : "VMI is not paused");
            }

            var conditions = new JsonArray(new JsonObject { ["type"] = "Ready", ["status"] = "True" });
            if (action == "pause")
            {
                conditions.Add(new JsonObject { ["type"] = "Paused", ["status"] = "True", ["reason"] = "PausedByUser" });
            }

            var patch = new V1Patch(new JsonObject { ["status"] = new JsonObject { ["conditions"] = conditions } }, V1Patch.PatchType.MergePatch);
            await Admin.CustomObjects.PatchNamespacedCustomObjectStatusAsync(patch, "kubevirt.io", "v1", ns, "virtualmachineinstances", vmi, cancellationToken: Ct);
            return (200, "");
        }

        public async ValueTask DisposeAsync()
        {
            await Engine.DeleteAsync(Id, CancellationToken.None);
            await Streams.DisposeAsync();
            Admin.Dispose();
        }
    }
}
