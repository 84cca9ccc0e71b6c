using k8s;
using k8s.Autorest;
using k8s.Models;
using LabOrchestrator.Doctor;
using Microsoft.Extensions.Options;

namespace LabOrchestrator.Kubernetes;

/// <summary>
/// What running sessions on a cluster needs: its API answers, the custom resources VM nodes and lab networks are made of
/// (KubeVirt, Multus) exist, and the orchestrator's identity may do everything a session needs (RBAC).
/// </summary>
internal sealed class KubernetesHostChecks(IOptions<KubernetesOptions> options) : IHostCheckSource
{
    /// <summary>The custom resources sessions use, and what provides them.</summary>
    internal static readonly (string Name, string Provider)[] Crds =
    [
        ("virtualmachines.kubevirt.io", "KubeVirt"),
        ("virtualmachineinstances.kubevirt.io", "KubeVirt"),
        ("network-attachment-definitions.k8s.cni.cncf.io", "Multus"),
    ];

    /// <summary>
    /// What the orchestrator does to a cluster (group, resource, subresource, verb), cluster-wide: exactly the rules of
    /// deploy/kubernetes/base/rbac.yaml (a test keeps the two equal).
    /// </summary>
    internal static readonly (string Group, string Resource, string? Subresource, string Verb)[] Permissions =
    [
        ("", "namespaces", null, "get"),
        ("", "namespaces", null, "list"),
        ("", "namespaces", null, "watch"),
        ("", "namespaces", null, "create"),
        ("", "namespaces", null, "patch"),
        ("", "namespaces", null, "delete"),
        ("", "pods", null, "get"),
        ("", "pods", null, "list"),
        ("", "pods", null, "watch"),
        ("", "pods", null, "create"),
        ("", "pods", null, "patch"),
        ("", "pods", null, "delete"),
        ("", "pods", "exec", "get"),
        ("", "pods", "exec", "create"),
        ("", "pods", "portforward", "get"),
        ("", "pods", "portforward", "create"),
        ("", "services", null, "list"),
        ("", "services", null, "create"),
        ("", "services", null, "patch"),
        ("", "secrets", null, "create"),
        ("", "secrets", null, "patch"),
        ("", "resourcequotas", null, "create"),
        ("", "resourcequotas", null, "patch"),
        ("", "limitranges", null, "create"),
        ("", "limitranges", null, "patch"),
        ("", "persistentvolumeclaims", null, "get"),
        ("", "persistentvolumeclaims", null, "list"),
        ("", "persistentvolumeclaims", null, "create"),
        ("", "persistentvolumeclaims", null, "patch"),
        ("", "persistentvolumes", null, "get"),
        ("", "persistentvolumes", null, "list"),
        ("", "persistentvolumes", null, "patch"),
        ("", "persistentvolumes", null, "delete"),
        ("networking.k8s.io", "networkpolicies", null, "list"),
        ("networking.k8s.io", "networkpolicies", null, "create"),
        ("networking.k8s.io", "networkpolicies", null, "patch"),
        ("kubevirt.io", "virtualmachines", null, "get"),
        ("kubevirt.io", "virtualmachines", null, "list"),
        ("kubevirt.io", "virtualmachines", null, "create"),
        ("kubevirt.io", "virtualmachines", null, "patch"),
        ("kubevirt.io", "virtualmachines", null, "delete"),
        ("kubevirt.io", "virtualmachineinstances", null, "get"),
        ("kubevirt.io", "virtualmachineinstances", null, "list"),
        ("kubevirt.io", "virtualmachineinstances", null, "watch"),
        ("kubevirt.io", "virtualmachineinstances", null, "delete"),
        ("subresources.kubevirt.io", "virtualmachineinstances", "console", "get"),
        ("subresources.kubevirt.io", "virtualmachineinstances", "vnc", "get"),
        ("subresources.kubevirt.io", "virtualmachineinstances", "pause", "update"),
        ("subresources.kubevirt.io", "virtualmachineinstances", "unpause", "update"),
        ("k8s.cni.cncf.io", "network-attachment-definitions", null, "list"),
        ("k8s.cni.cncf.io", "network-attachment-definitions", null, "create"),
        ("k8s.cni.cncf.io", "network-attachment-definitions", null, "patch"),
        ("apiextensions.k8s.io", "customresourcedefinitions", null, "get"),
        ("authorization.k8s.io", "selfsubjectaccessreviews", null, "create"),
    ];

    public string Name => "kubernetes";

    public async Task<IReadOnlyList<HostCheck>> CheckAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (!settings.IsConfigured)
        {
            return [];
        }

        var checks = new List<HostCheck>();
        KubernetesClientConfiguration configuration;
        try
        {
            configuration = settings.ClientConfiguration();
        }
        catch (Exception e) when (e is k8s.Exceptions.KubeConfigException or IOException or UnauthorizedAccessException or YamlDotNet.Core.YamlException)
        {
            checks.Add(HostCheck.Failed("kubernetes API", $"the kubeconfig {settings.Kubeconfig} cannot be used: {e.Message}", "point Kubernetes:Kubeconfig at a readable kubeconfig (kubectl config view works with it)"));
            return checks;
        }

        using var client = new k8s.Kubernetes(configuration);
        try
        {
            var version = await client.Version.GetCodeAsync(cancellationToken).ConfigureAwait(false);
            checks.Add(HostCheck.Ok("kubernetes API", $"{version.GitVersion} at {configuration.Host}"));
        }
        catch (Exception e) when (e is HttpRequestException or HttpOperationException or TaskCanceledException)
        {
            checks.Add(HostCheck.Failed("kubernetes API", $"{configuration.Host} does not answer: {e.Message}", "check the cluster is up and the kubeconfig's server address and credentials (kubectl version)"));
            return checks;
        }

        foreach (var provider in Crds.GroupBy(c => c.Provider))
        {
            var missing = new List<string>();
            var check = $"{provider.Key} CRDs";
            try
            {
                foreach (var (name, _) in provider)
                {
                    if (!await EstablishedAsync(client, name, cancellationToken).ConfigureAwait(false))
                    {
                        missing.Add(name);
                    }
                }
            }
            catch (HttpOperationException e) when (e.Response.StatusCode == System.Net.HttpStatusCode.Forbidden)
            {
                checks.Add(HostCheck.Failed(check, "cannot be read: this identity may not get CustomResourceDefinitions", "grant it get on customresourcedefinitions.apiextensions.k8s.io (see kubernetes RBAC below)"));
                continue;
            }

            checks.Add(missing.Count == 0
                ? HostCheck.Ok(check, string.Join(", ", provider.Select(c => c.Name)))
                : HostCheck.Failed(check, $"missing or not established: {string.Join(", ", missing)}", $"install {provider.Key} in the cluster (its operator creates these CustomResourceDefinitions)"));
        }

        var denied = new List<string>();
        foreach (var (group, resource, subresource, verb) in Permissions)
        {
            var review = await client.AuthorizationV1.CreateSelfSubjectAccessReviewAsync(new V1SelfSubjectAccessReview
            {
                Spec = new V1SelfSubjectAccessReviewSpec
                {
                    ResourceAttributes = new V1ResourceAttributes { Group = group, Resource = resource, Subresource = subresource, Verb = verb },
                },
            }, cancellationToken: cancellationToken).ConfigureAwait(false);
            if (review.Status?.Allowed != true)
            {
                denied.Add($"{verb} {resource}{(subresource is null ? "" : "/" + subresource)}{(group.Length == 0 ? "" : "." + group)}");
            }
        }

        checks.Add(denied.Count == 0
            ? HostCheck.Ok("kubernetes RBAC", $"allowed all {Permissions.Length} actions sessions need")
            : HostCheck.Failed("kubernetes RBAC", $"not allowed: {string.Join(", ", denied)}", "bind the orchestrator's identity to a ClusterRole granting these verbs (kubectl auth can-i VERB RESOURCE shows each)"));
        return checks;
    }

    private static async Task<bool> EstablishedAsync(IKubernetes client, string name, CancellationToken cancellationToken)
    {
        try
        {
            var crd = await client.ApiextensionsV1.ReadCustomResourceDefinitionAsync(name, cancellationToken: cancellationToken).ConfigureAwait(false);
            return crd.Status?.Conditions?.Any(c => c.Type == "Established" && c.Status == "True") == true;
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return false;
        }
    }
}
