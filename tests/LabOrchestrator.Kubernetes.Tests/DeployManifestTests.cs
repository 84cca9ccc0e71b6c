using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using k8s;
using k8s.Models;

namespace LabOrchestrator.Kubernetes.Tests;

/// <summary>
/// deploy/kubernetes: each overlay, rendered by kustomize (kubectl kustomize), is accepted object by object by a real
/// API server (server-side apply with dryRun=All), so a wrong field, a missing protocol or a bad reference fails here
/// rather than on an operator's cluster.
/// </summary>
[Collection(ApiServerCollection.Name)]
public sealed class DeployManifestTests(ApiServerFixture cluster)
{
    private const string FieldManager = "lab-orchestrator-deploy-test";

    /// <summary>
    /// Versions a current cluster serves that the test server (Kubernetes 1.20) predates, and the older version it
    /// validates them as instead: PodDisruptionBudget went GA in 1.21 with the same fields the overlays use.
    /// </summary>
    private static readonly Dictionary<string, string> OlderVersions = new() { ["policy/v1"] = "policy/v1beta1" };

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("dev", "ClusterRole ClusterRoleBinding Deployment Namespace Secret Service ServiceAccount")]
    [InlineData("production", "ClusterRole ClusterRoleBinding Deployment Ingress Namespace PersistentVolumeClaim PodDisruptionBudget Secret Service ServiceAccount")]
    public async Task Overlay_RendersAndEveryObjectPassesServerSideDryRun(string overlay, string expectedKinds)
    {
        cluster.RequireApiServer();
        var objects = await RenderAsync(overlay);
        Assert.Equal(expectedKinds, string.Join(' ', objects.Select(o => Kind(o)).Distinct().Order(StringComparer.Ordinal)));

        using var admin = cluster.Admin();
        using var http = ApiClient(KubernetesClientConfiguration.BuildConfigFromConfigFile(cluster.Kubeconfig));
        // Dry runs of namespaced objects need their namespace to exist: it is the one object made for real.
        var ns = objects.Single(o => Kind(o) == "Namespace").Head.Metadata.Name;
        var created = await EnsureNamespaceAsync(admin, ns);
        try
        {
            var refused = new List<string>();
            foreach (var item in objects)
            {
                if (await DryRunApplyAsync(http, item) is { } reason)
                {
                    refused.Add($"{Kind(item)} {Describe(item)}: {reason}");
                }
            }

            Assert.True(refused.Count == 0, $"overlays/{overlay}: the API server refused {refused.Count} object(s):\n{string.Join('\n', refused)}");
        }
        finally
        {
            if (created)
            {
                await DeleteNamespaceAsync(admin, ns);
            }
        }
    }

    /// <summary>
    /// Renders a copy of deploy/kubernetes with a freshly generated access-token-keys.env, the file an operator writes
    /// (deploy/.gitignore keeps it out of the repository).
    /// </summary>
    private static async Task<List<Rendered>> RenderAsync(string overlay)
    {
        var copy = Directory.CreateTempSubdirectory("lab-deploy-").FullName;
        try
        {
            CopyFolder(Path.Combine(RepositoryRoot.Path, "deploy", "kubernetes"), copy);
            await File.WriteAllTextAsync(
                Path.Combine(copy, "base", "access-token-keys.env"),
                $"Gateway__AccessTokenKeys__0__Id=test\nGateway__AccessTokenKeys__0__Secret={Convert.ToBase64String(RandomNumberGenerator.GetBytes(32))}\n",
                Ct);
            var (code, output, error) = await KubectlAsync("kustomize", Path.Combine(copy, "overlays", overlay));
            Assert.True(code == 0, $"kubectl kustomize overlays/{overlay} failed ({code}):\n{error}");
            // Each document goes to the server as kustomize wrote it (apply takes YAML): nothing a typed model would
            // drop, such as a misspelt field, is lost on the way.
            return [.. Regex.Split(output, @"^---\s*$", RegexOptions.Multiline)
                .Where(d => !string.IsNullOrWhiteSpace(d))
                .Select(d => new Rendered(d, KubernetesYaml.Deserialize<ObjectHead>(d)))];
        }
        finally
        {
            Directory.Delete(copy, recursive: true);
        }
    }

    /// <summary>Server-side apply with dryRun=All; null when accepted, else the server's reason.</summary>
    private static async Task<string?> DryRunApplyAsync(HttpClient http, Rendered item)
    {
        var apiVersion = item.Head.ApiVersion;
        var yaml = item.Yaml;
        var resource = await FindResourceAsync(http, apiVersion, Kind(item));
        if (resource is null && OlderVersions.TryGetValue(apiVersion, out var older))
        {
            yaml = Regex.Replace(yaml, $"^apiVersion: {Regex.Escape(apiVersion)}$", $"apiVersion: {older}", RegexOptions.Multiline);
            apiVersion = older;
            resource = await FindResourceAsync(http, apiVersion, Kind(item));
        }

        if (resource is null)
        {
            return $"the API server does not serve {Kind(item)} in {apiVersion}";
        }

        var name = item.Head.Metadata.Name;
        var ns = item.Head.Metadata.NamespaceProperty;
        var root = apiVersion.Contains('/', StringComparison.Ordinal) ? $"apis/{apiVersion}" : $"api/{apiVersion}";
        var path = resource.Namespaced ? $"{root}/namespaces/{ns}/{resource.Name}/{name}" : $"{root}/{resource.Name}/{name}";
        using var request = new HttpRequestMessage(HttpMethod.Patch, $"{path}?dryRun=All&fieldManager={FieldManager}&force=true")
        {
            Content = new StringContent(yaml, Encoding.UTF8),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/apply-patch+yaml");
        using var response = await SendAsync(http, request);
        if (response.IsSuccessStatusCode)
        {
            return null;
        }

        var body = await response.Content.ReadAsStringAsync(Ct);
        var message = TryStatusMessage(body) ?? body;
        return $"{(int)response.StatusCode} {response.StatusCode}: {message}";
    }

    private static async Task<V1APIResource?> FindResourceAsync(HttpClient http, string apiVersion, string kind)
    {
        var root = apiVersion.Contains('/', StringComparison.Ordinal) ? $"apis/{apiVersion}" : $"api/{apiVersion}";
        using var request = new HttpRequestMessage(HttpMethod.Get, root);
        using var response = await SendAsync(http, request);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        response.EnsureSuccessStatusCode();
        var list = KubernetesJson.Deserialize<V1APIResourceList>(await response.Content.ReadAsStringAsync(Ct));
        return list.Resources.FirstOrDefault(r => r.Kind == kind && !r.Name.Contains('/', StringComparison.Ordinal));
    }

    private static Task<HttpResponseMessage> SendAsync(HttpClient http, HttpRequestMessage request) => http.SendAsync(request, Ct);

    /// <summary>
    /// Plain HTTP to the API server with the admin kubeconfig's token and CA: server-side apply and discovery of any
    /// kind, which the typed client offers one kind at a time.
    /// </summary>
    private static HttpClient ApiClient(KubernetesClientConfiguration config)
    {
        Assert.NotNull(config.AccessToken);
        var handler = new SocketsHttpHandler();
        handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, _) =>
        {
            using var chain = new X509Chain();
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            chain.ChainPolicy.CustomTrustStore.AddRange(config.SslCaCerts);
            return certificate is X509Certificate2 served && chain.Build(served);
        };
        var http = new HttpClient(handler) { BaseAddress = new Uri(config.Host.TrimEnd('/') + "/") };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", config.AccessToken);
        return http;
    }

    private static async Task<bool> EnsureNamespaceAsync(k8s.Kubernetes admin, string ns)
    {
        try
        {
            await admin.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = ns } }, cancellationToken: Ct);
            return true;
        }
        catch (k8s.Autorest.HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.Conflict)
        {
            // Another test of the collection (RbacTests) made it and keeps it: leave it to that test.
            return false;
        }
    }

    /// <summary>Deletes the namespace and waits until it is gone, so a test after this one can create it again.</summary>
    private static async Task DeleteNamespaceAsync(k8s.Kubernetes admin, string ns)
    {
        await ApiServerFixture.IgnoreMissingAsync(() => admin.CoreV1.DeleteNamespaceAsync(ns, cancellationToken: CancellationToken.None));
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        var current = await admin.CoreV1.ListNamespaceAsync(fieldSelector: $"metadata.name={ns}", cancellationToken: timeout.Token);
        if (current.Items.Count == 0)
        {
            return;
        }

        await foreach (var (type, _) in admin.CoreV1.WatchListNamespaceAsync(
            fieldSelector: $"metadata.name={ns}", resourceVersion: current.Metadata.ResourceVersion, cancellationToken: timeout.Token))
        {
            if (type == WatchEventType.Deleted)
            {
                return;
            }
        }
    }

    private static string? TryStatusMessage(string body)
    {
        try
        {
            return JsonNode.Parse(body)?["message"]?.GetValue<string>();
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string Kind(Rendered item) => item.Head.Kind;

    private static string Describe(Rendered item) =>
        item.Head.Metadata.NamespaceProperty is { } ns ? $"{ns}/{item.Head.Metadata.Name}" : item.Head.Metadata.Name;

    private static void CopyFolder(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }

    /// <summary>
    /// Runs kubectl from PATH (its built-in kustomize; the test server's kubectl 1.20 has a kustomize too old for the
    /// overlays' <c>labels</c> and <c>replicas</c> fields). Without one the test is skipped, except in CI.
    /// </summary>
    private static async Task<(int Code, string Output, string Error)> KubectlAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo("kubectl") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            const string Missing = "Deploy manifest tests skipped: no kubectl on PATH to run kustomize (kubectl 1.21 or later)";
            Assert.False(Environment.GetEnvironmentVariable("CI") == "true", $"In CI these tests must run. {Missing}");
            Assert.Skip(Missing);
            throw;
        }

        using (process)
        {
            var output = process.StandardOutput.ReadToEndAsync(Ct);
            var error = process.StandardError.ReadToEndAsync(Ct);
            await process.WaitForExitAsync(Ct);
            return (process.ExitCode, await output, await error);
        }
    }

    /// <summary>One object of the kustomize output: its YAML as rendered, and its kind and name read from it.</summary>
    private sealed record Rendered(string Yaml, ObjectHead Head);

    /// <summary>What the test reads of an object (the rest of its document is the server's to judge).</summary>
    private sealed class ObjectHead : IKubernetesObject<V1ObjectMeta>
    {
        public string ApiVersion { get; set; } = "";
        public string Kind { get; set; } = "";
        public V1ObjectMeta Metadata { get; set; } = new();
    }
}
