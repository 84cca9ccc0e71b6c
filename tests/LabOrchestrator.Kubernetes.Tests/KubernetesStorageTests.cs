using k8s;
using k8s.Models;
using LabOrchestrator.Compilation;
using LabOrchestrator.Engines;
using LabOrchestrator.Kubernetes.Engine;
using LabOrchestrator.Labs;
using Microsoft.Extensions.Logging.Abstractions;

namespace LabOrchestrator.Kubernetes.Tests;

/// <summary>
/// Per-learner storage on the Kubernetes engine against the real API server, whose controller-manager runs the
/// PersistentVolume binder. There is no storage provisioner here, so the test makes the PersistentVolume a provisioner
/// would (reclaim policy Delete, as dynamically provisioned volumes have) in a StorageClass of its own.
/// </summary>
[Collection(ApiServerCollection.Name)]
public sealed class KubernetesStorageTests(ApiServerFixture cluster)
{
    private const string Folder = "/home/learner/work";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Storage_OutlivesTheSession_IsClaimedAgainByTheLearnersNextSession_AndDeletedOnlyOnceNoSessionUsesIt()
    {
        cluster.RequireApiServer();
        using var admin = cluster.Admin();
        var id = LabOrchestrator.Kubernetes.Tests.KubernetesLifecycleTests.NewId();
        var user = "learner-" + id;
        var storageClass = "lab-test-" + id;
        var volume = "pv-" + id;
        await admin.CoreV1.CreatePersistentVolumeAsync(new V1PersistentVolume
        {
            Metadata = new V1ObjectMeta { Name = volume },
            Spec = new V1PersistentVolumeSpec
            {
                Capacity = new Dictionary<string, ResourceQuantity> { ["storage"] = new("1Gi") },
                AccessModes = ["ReadWriteOnce"],
                PersistentVolumeReclaimPolicy = "Delete",
                StorageClassName = storageClass,
                HostPath = new V1HostPathVolumeSource { Path = "/tmp/" + volume },
            },
        }, cancellationToken: Ct);
        var engine = new KubernetesEngine(admin, new ClusterWebSockets(KubernetesClientConfiguration.BuildConfigFromConfigFile(cluster.Kubeconfig)),
            new KubernetesEngineOptions { ResyncPeriod = TimeSpan.FromSeconds(1), StorageClassName = storageClass }, TimeProvider.System, NullLogger<KubernetesEngine>.Instance);
        var first = Plan(user);
        var second = Plan(user);
        var claim = first.Nodes.Single(n => n.Name == "client").Storage.Single().ClaimName;
        var mine = new Dictionary<string, string> { [LabLabels.Persistent] = LabLabels.PersistentStorage, [LabLabels.User] = PersistentNames.UserLabel(user) };
        try
        {
            await ApplyAsync(engine, admin, first);
            var bound = await admin.CoreV1.ReadNamespacedPersistentVolumeClaimAsync(claim, first.Namespace.Metadata.Name, cancellationToken: Ct);
            Assert.Equal(volume, bound.Spec.VolumeName);
            Assert.Equal("Retain", (await admin.CoreV1.ReadPersistentVolumeAsync(volume, cancellationToken: Ct)).Spec.PersistentVolumeReclaimPolicy);
            var listed = Assert.Single(await engine.ListAsync(mine, Ct));
            Assert.Equal(("volume", claim, "two-hosts", "client", Folder),
                (listed.Kind, listed.Name, listed.Labels[LabLabels.Lab], listed.Labels[LabLabels.Node], listed.Labels[LabLabels.StoragePath]));
            var inUse = await Assert.ThrowsAsync<EngineException>(() => engine.DeletePersistentAsync(mine, Ct));
            Assert.Contains($"volume {claim}", inUse.Message, StringComparison.Ordinal);

            await engine.DeleteAsync(first.SessionId, Ct);
            Assert.Single(await engine.ListAsync(mine, Ct));
            await ApplyAsync(engine, admin, second);

            var again = await admin.CoreV1.ReadNamespacedPersistentVolumeClaimAsync(claim, second.Namespace.Metadata.Name, cancellationToken: Ct);
            Assert.Equal((volume, "Bound"), (again.Spec.VolumeName, again.Status.Phase));
            await engine.ApplyAsync(second, null, Ct);
            await engine.DeleteAsync(second.SessionId, Ct);
            await engine.DeletePersistentAsync(mine, Ct);
            Assert.Empty(await engine.ListAsync(mine, Ct));
            Assert.DoesNotContain(volume, (await admin.CoreV1.ListPersistentVolumeAsync(cancellationToken: Ct)).Items.Select(v => v.Metadata.Name));
        }
        finally
        {
            await engine.DeleteAsync(first.SessionId, CancellationToken.None);
            await engine.DeleteAsync(second.SessionId, CancellationToken.None);
            await ApiServerFixture.IgnoreMissingAsync(() => admin.CoreV1.DeletePersistentVolumeAsync(volume, cancellationToken: CancellationToken.None));
        }
    }

    /// <summary>two-hosts with one storage folder in its client node.</summary>
    private static CompiledPlan Plan(string user)
    {
        var lab = LabParser.Parse(LabSource.FromPath(Path.Combine(RepositoryRoot.Path, "labs", "two-hosts"))).GetLabOrThrow();
        var withStorage = lab with { Nodes = lab.Nodes.Select(n => n.Name == "client" ? n with { Storage = [new StorageDefinition(Folder)] } : n).ToList() };
        var credentials = lab.Nodes.SelectMany(n => n.Credentials.Select(c => new ResolvedCredential(n.Name, c.Name, c.Username, "pw-" + c.Name))).ToList();
        return LabCompiler.Compile(withStorage, new SessionContext(KubernetesLifecycleTests.NewId(), user, credentials));
    }

    private static async Task ApplyAsync(KubernetesEngine engine, IKubernetes admin, CompiledPlan plan)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var kubelet = new FakeKubelet(admin).RunAsync(plan.Namespace.Metadata.Name, stop.Token);
        try
        {
            await engine.ApplyAsync(plan, null, Ct).WaitAsync(TimeSpan.FromMinutes(2), Ct);
        }
        finally
        {
            await stop.CancelAsync();
            await kubelet;
        }
    }
}
