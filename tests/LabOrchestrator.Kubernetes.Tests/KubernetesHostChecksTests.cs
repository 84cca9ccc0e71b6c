using k8s;
using k8s.Models;
using LabOrchestrator.Doctor;
using Microsoft.Extensions.Options;

namespace LabOrchestrator.Kubernetes.Tests;

/// <summary>labctl doctor's Kubernetes checks against a real API server (shared/k8s): CRDs and RBAC as a cluster has them.</summary>
[Collection(ApiServerCollection.Name)]
public sealed class KubernetesHostChecksTests(ApiServerFixture cluster)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Check_AdminOnAClusterWithoutKubeVirt_NamesTheMissingCrds_ThenPassesOnceTheyAreInstalled()
    {
        cluster.RequireApiServer();
        using var admin = new k8s.Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(cluster.Kubeconfig));
        await DeleteCrdsAsync(admin);

        var before = await CheckAsync(cluster.Kubeconfig);

        Assert.Equal(HostCheckStatus.Ok, Find(before, "kubernetes API").Status);
        Assert.Contains("v1.20", Find(before, "kubernetes API").Detail, StringComparison.Ordinal);
        var kubevirt = Find(before, "KubeVirt CRDs");
        Assert.Equal(HostCheckStatus.Failed, kubevirt.Status);
        Assert.Contains("virtualmachines.kubevirt.io", kubevirt.Detail, StringComparison.Ordinal);
        Assert.Contains("install KubeVirt", kubevirt.Fix, StringComparison.Ordinal);
        Assert.Equal(HostCheckStatus.Failed, Find(before, "Multus CRDs").Status);
        Assert.Equal(HostCheckStatus.Ok, Find(before, "kubernetes RBAC").Status);

        var crds = KubernetesYaml.LoadAllFromString(await File.ReadAllTextAsync(Path.Combine(ApiServerFixture.Scripts, "kubevirt-crds.yaml"), Ct))
            .OfType<V1CustomResourceDefinition>().ToList();
        foreach (var crd in crds)
        {
            await admin.ApiextensionsV1.CreateCustomResourceDefinitionAsync(crd, cancellationToken: Ct);
        }

        // The API server marks new CRDs Established within about a second.
        IReadOnlyList<HostCheck> after = [];
        for (var attempt = 0; attempt < 100 && (after.Count == 0 || after.Any(c => c.Status != HostCheckStatus.Ok)); attempt++)
        {
            await Task.Delay(attempt == 0 ? 0 : 200, Ct);
            after = await CheckAsync(cluster.Kubeconfig);
        }

        Assert.All(after, c => Assert.True(c.Status == HostCheckStatus.Ok, $"{c.Name}: {c.Detail}"));
        Assert.Equal(["kubernetes API", "KubeVirt CRDs", "Multus CRDs", "kubernetes RBAC"], after.Select(c => c.Name));
    }

    [Fact]
    public async Task Check_IdentityWithoutRights_NamesEveryDeniedAction_AndPassesOnceAClusterRoleGrantsThem()
    {
        cluster.RequireApiServer();
        using var admin = new k8s.Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(cluster.Kubeconfig));
        var name = "doctor-" + Guid.NewGuid().ToString("N")[..8];
        await admin.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = name } }, cancellationToken: Ct);
        try
        {
            await admin.CoreV1.CreateNamespacedServiceAccountAsync(new V1ServiceAccount { Metadata = new V1ObjectMeta { Name = "orchestrator" } }, name, cancellationToken: Ct);
            var kubeconfig = await cluster.KubeconfigForServiceAccountAsync(admin, name, "orchestrator", Ct);

            var before = await CheckAsync(kubeconfig);
            var denied = Find(before, "kubernetes RBAC");
            Assert.Contains("may not get CustomResourceDefinitions", Find(before, "KubeVirt CRDs").Detail, StringComparison.Ordinal);

            Assert.Equal(HostCheckStatus.Failed, denied.Status);
            Assert.Contains("create namespaces", denied.Detail, StringComparison.Ordinal);
            Assert.Contains("create pods/exec", denied.Detail, StringComparison.Ordinal);
            Assert.Contains("patch virtualmachines.kubevirt.io", denied.Detail, StringComparison.Ordinal);
            Assert.Contains("get virtualmachineinstances/vnc.subresources.kubevirt.io", denied.Detail, StringComparison.Ordinal);
            Assert.Contains("ClusterRole", denied.Fix, StringComparison.Ordinal);

            await admin.RbacAuthorizationV1.CreateClusterRoleAsync(new V1ClusterRole
            {
                Metadata = new V1ObjectMeta { Name = name },
                Rules = KubernetesHostChecks.Permissions
                    .Select(p => new V1PolicyRule { ApiGroups = [p.Group], Resources = [p.Subresource is null ? p.Resource : $"{p.Resource}/{p.Subresource}"], Verbs = [p.Verb] })
                    .ToList(),
            }, cancellationToken: Ct);
            await admin.RbacAuthorizationV1.CreateClusterRoleBindingAsync(new V1ClusterRoleBinding
            {
                Metadata = new V1ObjectMeta { Name = name },
                RoleRef = new V1RoleRef { ApiGroup = "rbac.authorization.k8s.io", Kind = "ClusterRole", Name = name },
                Subjects = [new Rbacv1Subject { Kind = "ServiceAccount", Name = "orchestrator", NamespaceProperty = name }],
            }, cancellationToken: Ct);

            var granted = Find(await CheckAsync(kubeconfig), "kubernetes RBAC");
            Assert.True(granted.Status == HostCheckStatus.Ok, granted.Detail);
        }
        finally
        {
            await ApiServerFixture.IgnoreMissingAsync(() => admin.RbacAuthorizationV1.DeleteClusterRoleBindingAsync(name));
            await ApiServerFixture.IgnoreMissingAsync(() => admin.RbacAuthorizationV1.DeleteClusterRoleAsync(name));
            await ApiServerFixture.IgnoreMissingAsync(() => admin.CoreV1.DeleteNamespaceAsync(name));
        }
    }

    [Fact]
    public async Task Check_ServerThatDoesNotAnswer_FailsNamingItsAddress()
    {
        var folder = Directory.CreateTempSubdirectory("doctor-kube-").FullName;
        try
        {
            var kubeconfig = Path.Combine(folder, "kubeconfig");
            await File.WriteAllTextAsync(kubeconfig, ApiServerFixture.KubeconfigFor("https://127.0.0.1:1", "nothing"), Ct);

            var checks = await CheckAsync(kubeconfig);

            var api = Assert.Single(checks);
            Assert.Equal(("kubernetes API", HostCheckStatus.Failed), (api.Name, api.Status));
            Assert.Contains("https://127.0.0.1:1 does not answer", api.Detail, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task Check_KubeconfigThatIsNotOne_FailsNamingTheFile()
    {
        var path = Path.Combine(Path.GetTempPath(), $"not-a-kubeconfig-{Guid.NewGuid():N}");
        await File.WriteAllTextAsync(path, "this: [is not", Ct);
        try
        {
            var api = Assert.Single(await CheckAsync(path));
            Assert.Equal(HostCheckStatus.Failed, api.Status);
            Assert.Contains(path, api.Detail, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task Check_NoClusterConfigured_ChecksNothing() =>
        Assert.Empty(await new KubernetesHostChecks(Options.Create(new KubernetesOptions())).CheckAsync(Ct));

    private static Task<IReadOnlyList<HostCheck>> CheckAsync(string kubeconfig) =>
        new KubernetesHostChecks(Options.Create(new KubernetesOptions { Kubeconfig = kubeconfig })).CheckAsync(Ct);

    private static HostCheck Find(IReadOnlyList<HostCheck> checks, string name) => Assert.Single(checks, c => c.Name == name);

    private static async Task DeleteCrdsAsync(IKubernetes admin)
    {
        foreach (var (name, _) in KubernetesHostChecks.Crds)
        {
            await ApiServerFixture.IgnoreMissingAsync(() => admin.ApiextensionsV1.DeleteCustomResourceDefinitionAsync(name));
        }

        // Deletion finishes once the API server has removed the CRD's storage.
        for (var attempt = 0; attempt < 150; attempt++)
        {
            var names = (await admin.ApiextensionsV1.ListCustomResourceDefinitionAsync(cancellationToken: Ct)).Items.Select(c => c.Metadata.Name).ToHashSet();
            if (!KubernetesHostChecks.Crds.Any(c => names.Contains(c.Name)))
            {
                return;
            }

            await Task.Delay(200, Ct);
        }
    }
}
