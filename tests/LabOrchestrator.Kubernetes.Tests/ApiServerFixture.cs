using System.Diagnostics;
using k8s;

namespace LabOrchestrator.Kubernetes.Tests;

/// <summary>
/// A real kube-apiserver, etcd and controller-manager (no kubelet) from the lab-k8s scripts (shared/k8s, see its
/// README), started once for the test collection and stopped after it. Where the scripts say the control plane is
/// not built (exit 2) the tests are skipped with the reason, except in CI (CI=true), where that is a failure.
/// </summary>
public sealed class ApiServerFixture : IAsyncLifetime
{
    private string? state;

    /// <summary>The admin kubeconfig (group system:masters).</summary>
    public string Kubeconfig { get; private set; } = "";

    /// <summary>Why the tests cannot run here; null when the API server runs.</summary>
    public string? Unavailable { get; private set; }

    /// <summary>The lab-k8s scripts: LAB_K8S_SCRIPTS, else shared/k8s beside the checkout.</summary>
    public static string Scripts =>
        Environment.GetEnvironmentVariable("LAB_K8S_SCRIPTS") is { Length: > 0 } configured
            ? configured
            : Path.GetFullPath(Path.Combine(RepositoryRoot.Path, "..", "shared", "k8s"));

    public async ValueTask InitializeAsync()
    {
        var start = Path.Combine(Scripts, "start.sh");
        if (!File.Exists(start))
        {
            Unavailable = $"Kubernetes tests skipped: no lab-k8s scripts at {Scripts} (set LAB_K8S_SCRIPTS)";
            return;
        }

        state = Directory.CreateTempSubdirectory("lab-k8s-").FullName;
        var (code, output, error) = await RunAsync(start, state);
        if (code == 2)
        {
            Unavailable = $"Kubernetes tests skipped: lab-k8s not built (run {Path.Combine(Scripts, "build.sh")} as root): {error.Trim()}";
            return;
        }

        Assert.True(code == 0, $"lab-k8s start.sh failed ({code}):\n{output}\n{error}");
        Kubeconfig = output.Trim().Split('\n')[^1];
    }

    /// <summary>Skips the calling test when no API server runs here (never in CI).</summary>
    public void RequireApiServer()
    {
        if (Unavailable is null)
        {
            return;
        }

        Assert.False(Environment.GetEnvironmentVariable("CI") == "true", $"In CI the Kubernetes tests must run. {Unavailable}");
        Assert.Skip(Unavailable);
    }

    /// <summary>An admin client of the test API server.</summary>
    public k8s.Kubernetes Admin() => new(k8s.KubernetesClientConfiguration.BuildConfigFromConfigFile(Kubeconfig));

    /// <summary>Installs the KubeVirt and Multus CRDs (storage only, no controllers) unless present, and waits until they are Established.</summary>
    public async Task EnsureKubeVirtCrdsAsync(CancellationToken cancellationToken)
    {
        using var admin = Admin();
        var crds = k8s.KubernetesYaml.LoadAllFromString(await File.ReadAllTextAsync(Path.Combine(Scripts, "kubevirt-crds.yaml"), cancellationToken))
            .OfType<k8s.Models.V1CustomResourceDefinition>().ToList();
        var present = (await admin.ApiextensionsV1.ListCustomResourceDefinitionAsync(cancellationToken: cancellationToken)).Items;
        foreach (var crd in crds.Where(c => present.All(p => p.Metadata.Name != c.Metadata.Name)))
        {
            await admin.ApiextensionsV1.CreateCustomResourceDefinitionAsync(crd, cancellationToken: cancellationToken);
        }

        await using var watch = admin.ApiextensionsV1.WatchListCustomResourceDefinitionAsync(cancellationToken: cancellationToken).GetAsyncEnumerator(cancellationToken);
        bool Established(k8s.Models.V1CustomResourceDefinition c) => c.Status?.Conditions?.Any(x => x.Type == "Established" && x.Status == "True") == true;
        var established = (await admin.ApiextensionsV1.ListCustomResourceDefinitionAsync(cancellationToken: cancellationToken)).Items
            .Where(Established).Select(c => c.Metadata.Name).ToHashSet();
        while (!crds.All(c => established.Contains(c.Metadata.Name)) && await watch.MoveNextAsync())
        {
            if (Established(watch.Current.Item2))
            {
                established.Add(watch.Current.Item2.Metadata.Name);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (state is not null)
        {
            if (Unavailable is null)
            {
                await RunAsync(Path.Combine(Scripts, "stop.sh"), state);
            }

            // stop.sh removes the folder itself when it holds nothing else (newer lab-k8s scripts); older ones leave it.
            if (Directory.Exists(state))
            {
                Directory.Delete(state, recursive: true);
            }
        }
    }

    /// <summary>
    /// start.sh's controllers plus the PersistentVolume binder, which binds per-learner storage claims (tests make the
    /// volumes themselves: there is no storage provisioner here), and the protection controllers that remove the
    /// finalizers the API server's admission puts on every claim and volume (without them a namespace with a claim is
    /// never gone).
    /// </summary>
    private const string Controllers =
        "namespace,garbagecollector,serviceaccount,serviceaccount-token,deployment,replicaset,statefulset,job,endpoint,endpointslice,resourcequota,persistentvolume-binder,pvc-protection,pv-protection";

    private static async Task<(int Code, string Output, string Error)> RunAsync(string script, string argument)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        if (Environment.GetEnvironmentVariable("LAB_K8S_CONTROLLERS") is not { Length: > 0 })
        {
            start.Environment["LAB_K8S_CONTROLLERS"] = Controllers;
        }

        start.ArgumentList.Add(script);
        start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output, await error);
    }

    /// <summary>A kubeconfig for the cluster that signs in with the service account's token (made by the token controller).</summary>
    public async Task<string> KubeconfigForServiceAccountAsync(IKubernetes admin, string ns, string account, CancellationToken cancellationToken)
    {
        string? token = null;
        for (var attempt = 0; attempt < 150 && token is null; attempt++)
        {
            await Task.Delay(attempt == 0 ? 0 : 200, cancellationToken);
            var secrets = await admin.CoreV1.ListNamespacedSecretAsync(ns, cancellationToken: cancellationToken);
            var secret = secrets.Items.FirstOrDefault(s => s.Type == "kubernetes.io/service-account-token"
                && s.Metadata.Annotations is { } annotations && annotations.TryGetValue("kubernetes.io/service-account.name", out var owner) && owner == account);
            token = secret?.Data?.TryGetValue("token", out var bytes) == true ? System.Text.Encoding.UTF8.GetString(bytes) : null;
        }

        Assert.NotNull(token);
        var config = KubernetesClientConfiguration.BuildConfigFromConfigFile(Kubeconfig);
        var path = Path.Combine(Path.GetDirectoryName(Kubeconfig)!, $"{ns}.kubeconfig");
        var ca = (await File.ReadAllLinesAsync(Kubeconfig, cancellationToken)).Single(l => l.TrimStart().StartsWith("certificate-authority-data:", StringComparison.Ordinal)).Split(':', 2)[1].Trim();
        await File.WriteAllTextAsync(path, KubeconfigFor(config.Host, token, ca), cancellationToken);
        return path;
    }

    public static string KubeconfigFor(string server, string token, string? caData = null) => $"""
        apiVersion: v1
        kind: Config
        clusters:
        - name: c
          cluster:
            server: {server}
        {(caData is null ? "    insecure-skip-tls-verify: true" : $"    certificate-authority-data: {caData}")}
        users:
        - name: u
          user:
            token: {token}
        contexts:
        - name: c
          context:
            cluster: c
            user: u
        current-context: c
        """;

    public static async Task IgnoreMissingAsync(Func<Task> delete)
    {
        try
        {
            await delete();
        }
        catch (k8s.Autorest.HttpOperationException e) when (e.Response.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            // Already gone.
        }
    }
}
