using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;
using k8s.Models;
using LabOrchestrator.Compilation;
using LabOrchestrator.Labs;

namespace LabOrchestrator.Kubernetes.Tests;

/// <summary>
/// What the engine writes besides the nodes, read back from a real API server: the session's quota and default limits,
/// a VM node's cloud-init Secret, and the Multus networks of a lab with several networks.
/// </summary>
[Collection(ApiServerCollection.Name)]
public sealed class SessionObjectsTests(ApiServerFixture cluster)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Apply_Session_QuotaHoldsExactlyTheLab_AndTheApiServerRefusesAPodBeyondIt()
    {
        cluster.RequireApiServer();
        using var admin = cluster.Admin();
        var engine = KubernetesEngineTests.Engine(cluster, admin);
        var plan = KubernetesEngineTests.Plan("hello-linux");
        var ns = plan.Namespace.Metadata.Name;
        try
        {
            await ApplyAsync(engine, admin, plan);

            var quota = await admin.CoreV1.ReadNamespacedResourceQuotaAsync(SessionQuota.Name, ns, cancellationToken: Ct);
            Assert.Equal(
                new Dictionary<string, string> { ["pods"] = "1", ["limits.cpu"] = "500m", ["requests.cpu"] = "500m", ["limits.memory"] = "256Mi", ["requests.memory"] = "256Mi" },
                quota.Spec.Hard.ToDictionary(h => h.Key, h => h.Value.ToString()));
            var limits = Assert.Single((await admin.CoreV1.ReadNamespacedLimitRangeAsync(SessionQuota.Name, ns, cancellationToken: Ct)).Spec.Limits);
            Assert.Equal((NodeDefaults.Cpu, NodeDefaults.Memory), (limits.DefaultProperty["cpu"].ToString(), limits.DefaultProperty["memory"].ToString()));
            await WaitQuotaCountsAsync(admin, ns, pods: 1);

            // What a learner who reached the cluster's API from a node, or a bug, would try: one more pod.
            var extra = new V1Pod
            {
                Metadata = new V1ObjectMeta { Name = "extra" },
                Spec = new V1PodSpec { Containers = [new V1Container { Name = "c", Image = "localhost/lab-base:latest" }] },
            };
            var refused = await Assert.ThrowsAsync<HttpOperationException>(() => admin.CoreV1.CreateNamespacedPodAsync(extra, ns, cancellationToken: Ct));

            Assert.Equal(HttpStatusCode.Forbidden, refused.Response.StatusCode);
            Assert.Contains("exceeded quota", refused.Response.Content, StringComparison.Ordinal);
        }
        finally
        {
            await engine.DeleteAsync(plan.SessionId, Ct);
        }
    }

    [Fact]
    public async Task Apply_VmNodeWithCredentials_PasswordIsInItsCloudInitSecret_NeverInTheVirtualMachine()
    {
        cluster.RequireApiServer();
        await cluster.EnsureKubeVirtCrdsAsync(Ct);
        using var admin = cluster.Admin();
        var engine = KubernetesEngineTests.Engine(cluster, admin);
        var plan = VmWithCredentialPlan("s3cret-Pa55:word");
        var ns = plan.Namespace.Metadata.Name;
        try
        {
            await ApplyAsync(engine, admin, plan);

            var vm = JsonSerializer.SerializeToNode(await admin.CustomObjects.GetNamespacedCustomObjectAsync("kubevirt.io", "v1", ns, "virtualmachines", "vm", cancellationToken: Ct))!;
            Assert.DoesNotContain("s3cret", vm.ToJsonString(), StringComparison.Ordinal);
            var cloudInit = vm["spec"]!["template"]!["spec"]!["volumes"]!.AsArray().Single(v => v!["cloudInitNoCloud"] is not null)!;
            Assert.Equal(VmCloudInit.SecretName("vm"), cloudInit["cloudInitNoCloud"]!["secretRef"]!["name"]!.GetValue<string>());
            var secret = await admin.CoreV1.ReadNamespacedSecretAsync(VmCloudInit.SecretName("vm"), ns, cancellationToken: Ct);
            var userData = System.Text.Encoding.UTF8.GetString(secret.Data[VmCloudInit.UserDataKey]);
            Assert.StartsWith("#cloud-config\n", userData, StringComparison.Ordinal);
            Assert.Contains("- name: \"learner\"", userData, StringComparison.Ordinal);
            Assert.Contains("list: \"learner:s3cret-Pa55:word\\n\"", userData, StringComparison.Ordinal);
            // Two nodes, and a second virt-launcher pod for the VM while it restarts.
            Assert.Equal("3", (await admin.CoreV1.ReadNamespacedResourceQuotaAsync(SessionQuota.Name, ns, cancellationToken: Ct)).Spec.Hard["pods"].ToString());
        }
        finally
        {
            await engine.DeleteAsync(plan.SessionId, Ct);
        }
    }

    [Fact]
    public async Task Apply_LabWithTwoNetworks_SecondIsAMultusBridgeWithStaticAddresses_NamedByItsPods()
    {
        cluster.RequireApiServer();
        // The test server has no Multus: its NetworkAttachmentDefinition CRD (storage only) comes with the KubeVirt ones.
        await cluster.EnsureKubeVirtCrdsAsync(Ct);
        using var admin = cluster.Admin();
        var engine = KubernetesEngineTests.Engine(cluster, admin);
        var plan = KubernetesEngineTests.Plan("network-basics");
        var ns = plan.Namespace.Metadata.Name;
        try
        {
            await ApplyAsync(engine, admin, plan);

            var list = JsonSerializer.SerializeToNode(await admin.CustomObjects.ListNamespacedCustomObjectAsync("k8s.cni.cncf.io", "v1", ns, "network-attachment-definitions", cancellationToken: Ct))!;
            var definition = Assert.Single(list["items"]!.AsArray())!;
            Assert.Equal("right", definition["metadata"]!["name"]!.GetValue<string>());
            var config = JsonNode.Parse(definition["spec"]!["config"]!.GetValue<string>())!;
            Assert.Equal(("bridge", "static", true), (config["type"]!.GetValue<string>(), config["ipam"]!["type"]!.GetValue<string>(), config["capabilities"]!["ips"]!.GetValue<bool>()));
            Assert.InRange(config["bridge"]!.GetValue<string>().Length, 1, 15);

            var annotations = new Dictionary<string, string?>();
            foreach (var node in new[] { "alice", "router", "bob" })
            {
                var pod = await admin.CoreV1.ReadNamespacedPodAsync(node, ns, cancellationToken: Ct);
                annotations[node] = pod.Metadata.Annotations?.TryGetValue(MultusNetworks.Annotation, out var value) == true ? value : null;
            }

            Assert.Null(annotations["alice"]);
            Assert.Equal("""[{"name":"right","ips":["10.250.1.11/24"]}]""", annotations["router"]);
            Assert.Equal("""[{"name":"right","ips":["10.250.1.12/24"]}]""", annotations["bob"]);
        }
        finally
        {
            await engine.DeleteAsync(plan.SessionId, Ct);
        }
    }

    internal static CompiledPlan VmWithCredentialPlan(string password)
    {
        var lab = LabParser.Parse(LabSource.FromPath(Path.Combine(RepositoryRoot.Path, "labs", "vm-and-container"))).GetLabOrThrow();
        lab = lab with
        {
            Nodes = lab.Nodes.Select(n => n.Kind == NodeKind.Vm ? n with { Credentials = [new CredentialDefinition { Name = "learner", Username = "learner", Password = password }] } : n).ToList(),
        };
        var credentials = new List<ResolvedCredential> { new("vm", "learner", "learner", password) };
        return LabCompiler.Compile(lab, new SessionContext("k" + Guid.NewGuid().ToString("N")[..10], "alice", credentials));
    }

    private static async Task ApplyAsync(Engine.KubernetesEngine engine, IKubernetes admin, CompiledPlan plan)
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

    /// <summary>The controller-manager counts what the namespace holds into the quota's status; until then admission cannot count.</summary>
    private static async Task WaitQuotaCountsAsync(IKubernetes admin, string ns, int pods)
    {
        await using var watch = admin.CoreV1.WatchListNamespacedResourceQuotaAsync(ns, cancellationToken: Ct).GetAsyncEnumerator(Ct);
        bool Counted(V1ResourceQuota q) => q.Status?.Used?.TryGetValue("pods", out var used) == true && used.ToString() == pods.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (Counted(await admin.CoreV1.ReadNamespacedResourceQuotaAsync(SessionQuota.Name, ns, cancellationToken: Ct)))
        {
            return;
        }

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        deadline.CancelAfter(TimeSpan.FromMinutes(1));
        while (await watch.MoveNextAsync().AsTask().WaitAsync(deadline.Token))
        {
            if (Counted(watch.Current.Item2))
            {
                return;
            }
        }
    }
}
