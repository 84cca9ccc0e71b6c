using k8s;
using k8s.Autorest;
using k8s.Models;
using LabOrchestrator.Doctor;
using LabOrchestrator.Engines;
using LabOrchestrator.Kubernetes.Engine;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace LabOrchestrator.Kubernetes.Tests;

/// <summary>
/// deploy/kubernetes/base/rbac.yaml against a real API server: as its ServiceAccount, every operation of the engine
/// succeeds and labctl doctor's RBAC check passes; operations outside the role are refused.
/// </summary>
[Collection(ApiServerCollection.Name)]
public sealed class RbacTests(ApiServerFixture cluster)
{
    private const string Namespace = "lab-orchestrator";
    private const string Account = "lab-orchestrator";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ServiceAccountOfTheDeployment_RunsEveryEngineOperation_AndIsRefusedAnythingElse()
    {
        cluster.RequireApiServer();
        await cluster.EnsureKubeVirtCrdsAsync(Ct);
        using var admin = cluster.Admin();
        var objects = KubernetesYaml.LoadAllFromString(await File.ReadAllTextAsync(Path.Combine(RepositoryRoot.Path, "deploy", "kubernetes", "base", "rbac.yaml"), Ct));
        await CreateOrKeepAsync(() => admin.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = Namespace } }, cancellationToken: Ct));
        await CreateOrKeepAsync(() => admin.CoreV1.CreateNamespacedServiceAccountAsync(objects.OfType<V1ServiceAccount>().Single(), Namespace, cancellationToken: Ct));
        await CreateOrKeepAsync(() => admin.RbacAuthorizationV1.CreateClusterRoleAsync(objects.OfType<V1ClusterRole>().Single(), cancellationToken: Ct));
        await CreateOrKeepAsync(() => admin.RbacAuthorizationV1.CreateClusterRoleBindingAsync(objects.OfType<V1ClusterRoleBinding>().Single(), cancellationToken: Ct));
        var kubeconfig = await cluster.KubeconfigForServiceAccountAsync(admin, Namespace, Account, Ct);
        var configuration = KubernetesClientConfiguration.BuildConfigFromConfigFile(kubeconfig);
        using var orchestrator = new k8s.Kubernetes(configuration);
        var engine = new KubernetesEngine(orchestrator, new ClusterWebSockets(configuration), new KubernetesEngineOptions { ResyncPeriod = TimeSpan.FromSeconds(1) }, TimeProvider.System, NullLogger<KubernetesEngine>.Instance);

        foreach (var lab in new[] { "two-hosts", "vm-and-container" })
        {
            var plan = KubernetesEngineTests.Plan(lab);
            using (var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct))
            {
                // The kubelet's part runs as admin: it is the cluster's, not the orchestrator's.
                var kubelet = new FakeKubelet(admin).RunAsync(plan.Namespace.Metadata.Name, stop.Token);
                await engine.ApplyAsync(plan, null, Ct).WaitAsync(TimeSpan.FromMinutes(2), Ct);
                await stop.CancelAsync();
                await kubelet;
            }

            await engine.ApplyAsync(plan, null, Ct);
            Assert.All(await engine.GetStatusAsync(plan.SessionId, Ct), s => Assert.Equal(NodeState.Running, s.State));
            Assert.NotEmpty(await engine.ListAsync(new Dictionary<string, string> { [LabLabels.Session] = plan.SessionId }, Ct));
            await engine.DeleteAsync(plan.SessionId, Ct);
        }

        var doctor = await new KubernetesHostChecks(Options.Create(new KubernetesOptions { Kubeconfig = kubeconfig })).CheckAsync(Ct);
        Assert.All(doctor, c => Assert.True(c.Status == HostCheckStatus.Ok, $"{c.Name}: {c.Detail}"));

        await AssertForbiddenAsync(() => orchestrator.CoreV1.ListSecretForAllNamespacesAsync(cancellationToken: Ct));
        await AssertForbiddenAsync(() => orchestrator.CoreV1.ListNodeAsync(cancellationToken: Ct));
        await AssertForbiddenAsync(() => orchestrator.AppsV1.CreateNamespacedDeploymentAsync(new V1Deployment { Metadata = new V1ObjectMeta { Name = "x" } }, "default", cancellationToken: Ct));
        await AssertForbiddenAsync(() => orchestrator.RbacAuthorizationV1.CreateClusterRoleBindingAsync(new V1ClusterRoleBinding
        {
            Metadata = new V1ObjectMeta { Name = "escalate" },
            RoleRef = new V1RoleRef { ApiGroup = "rbac.authorization.k8s.io", Kind = "ClusterRole", Name = "cluster-admin" },
            Subjects = [new Rbacv1Subject { Kind = "ServiceAccount", Name = Account, NamespaceProperty = Namespace }],
        }, cancellationToken: Ct));
    }

    [Fact]
    public async Task RoleOfTheDeployment_GrantsExactlyWhatLabctlDoctorChecks()
    {
        var objects = KubernetesYaml.LoadAllFromString(await File.ReadAllTextAsync(Path.Combine(RepositoryRoot.Path, "deploy", "kubernetes", "base", "rbac.yaml"), Ct));
        var granted = objects.OfType<V1ClusterRole>().Single().Rules
            .SelectMany(r => r.ApiGroups.SelectMany(g => r.Resources.SelectMany(res => r.Verbs.Select(v => $"{g} {res} {v}"))))
            .Order();
        var checkedByDoctor = KubernetesHostChecks.Permissions
            .Select(p => $"{p.Group} {(p.Subresource is null ? p.Resource : p.Resource + "/" + p.Subresource)} {p.Verb}")
            .Order();

        Assert.Equal(checkedByDoctor, granted);
    }

    private static async Task AssertForbiddenAsync(Func<Task> call)
    {
        var refused = await Assert.ThrowsAsync<HttpOperationException>(call);
        Assert.Equal(System.Net.HttpStatusCode.Forbidden, refused.Response.StatusCode);
    }

    private static async Task CreateOrKeepAsync<T>(Func<Task<T>> create)
    {
        try
        {
            await create();
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == System.Net.HttpStatusCode.Conflict)
        {
            // Made by an earlier test of this run.
        }
    }
}
