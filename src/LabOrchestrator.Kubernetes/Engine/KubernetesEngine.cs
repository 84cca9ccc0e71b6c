using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;
using k8s.Models;
using LabOrchestrator.Compilation;
using LabOrchestrator.Engines;
using LabOrchestrator.Labs;
using Microsoft.Extensions.Logging;

namespace LabOrchestrator.Kubernetes.Engine;

/// <summary>
/// Runs sessions on a Kubernetes cluster with KubeVirt: one namespace per session holding its Secret, headless
/// Services, NetworkPolicies, Pods (container nodes) and VirtualMachines (VM nodes), all created by server-side apply
/// under one field manager, so applying a plan again changes nothing. Node states come from watches of the
/// namespace's Pods and VirtualMachineInstances. Deleting a session deletes its namespace and waits until it is gone.
/// </summary>
internal sealed partial class KubernetesEngine(
    IKubernetes client,
    ClusterWebSockets sockets,
    KubernetesEngineOptions options,
    TimeProvider time,
    ILogger<KubernetesEngine> logger) : ILabEngine
{
    public const string EngineName = "kubernetes";

    private const string KubeVirtGroup = "kubevirt.io";
    private const string KubeVirtVersion = "v1";

    public string Name => EngineName;

    public async Task ApplyAsync(CompiledPlan plan, IProgress<NodeStatus>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var objects = SessionObjects.From(plan);
        foreach (var item in objects.Where(o => !IsNode(o)))
        {
            await ApplyObjectAsync(item, cancellationToken).ConfigureAwait(false);
        }

        // Storage claims before the pods that mount them.
        await EnsureStorageAsync(plan, cancellationToken).ConfigureAwait(false);
        foreach (var item in objects.Where(IsNode))
        {
            await ApplyObjectAsync(item, cancellationToken).ConfigureAwait(false);
        }

        LogApplied(plan.SessionId, plan.Namespace.Metadata.Name);
        await WaitRunningAsync(plan, progress, cancellationToken).ConfigureAwait(false);
        if (plan.Nodes.Any(n => n.Storage.Count > 0))
        {
            // Running pods have their claims bound: their volumes can be kept now.
            await RetainStorageAsync(plan.Namespace.Metadata.Name, cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task DeleteAsync(string sessionId, CancellationToken cancellationToken)
    {
        var selector = $"{LabLabels.Session}={sessionId}";
        var namespaces = await KubernetesErrors.CallAsync($"list the namespaces of session {sessionId}",
            () => client.CoreV1.ListNamespaceAsync(labelSelector: selector, cancellationToken: cancellationToken)).ConfigureAwait(false);
        foreach (var ns in namespaces.Items.Where(n => n.Metadata.DeletionTimestamp is null))
        {
            // The learner's storage must outlive the namespace: its volumes are kept before anything is deleted.
            await RetainStorageAsync(ns.Metadata.Name, cancellationToken).ConfigureAwait(false);
            try
            {
                await client.CoreV1.DeleteNamespaceAsync(ns.Metadata.Name, propagationPolicy: "Foreground", cancellationToken: cancellationToken).ConfigureAwait(false);
            }
            catch (HttpOperationException e) when (KubernetesErrors.IsNotFound(e))
            {
                // Gone meanwhile: that is what was asked.
            }
            catch (HttpOperationException e)
            {
                throw KubernetesErrors.Translate($"delete namespace {ns.Metadata.Name}", e);
            }
        }

        using var deadline = new CancellationTokenSource(options.DeleteTimeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        try
        {
            while ((await client.CoreV1.ListNamespaceAsync(labelSelector: selector, cancellationToken: linked.Token).ConfigureAwait(false)).Items.Count > 0)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(250), time, linked.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new EngineException($"The namespace of session {sessionId} was still being deleted after {options.DeleteTimeout.TotalSeconds:0} s.")
            {
                HostFix = "look for finalizers that never finish in the session's namespace (kubectl get namespace -o yaml)",
            };
        }
    }

    public async Task<IReadOnlyList<NodeStatus>> GetStatusAsync(string sessionId, CancellationToken cancellationToken)
    {
        var ns = LabCompiler.NamespaceFor(sessionId);
        var pods = await ListPodsAsync(ns, cancellationToken).ConfigureAwait(false);
        var vms = await ListCustomAsync(ns, "virtualmachines", cancellationToken).ConfigureAwait(false);
        var vmis = await ListCustomAsync(ns, "virtualmachineinstances", cancellationToken).ConfigureAwait(false);
        var statuses = new List<NodeStatus>();
        foreach (var pod in pods.Where(p => NodeOf(p.Metadata.Labels) is not null && !IsVmLauncher(p)))
        {
            statuses.Add(NodeStatusMapper.FromPod(NodeOf(pod.Metadata.Labels)!, pod).Status);
        }

        foreach (var (name, vm) in vms)
        {
            statuses.Add(NodeStatusMapper.FromVirtualMachine(name, vm, vmis.GetValueOrDefault(name)).Status);
        }

        return statuses;
    }

    /// <summary>
    /// Namespaces, Pods, Services, NetworkPolicies, VirtualMachines and per-learner PersistentVolumes ("volume") with the labels. Secrets are left out on purpose:
    /// the orchestrator may write but not read Secrets cluster-wide (least privilege), and they only ever live in a
    /// session's namespace, which is listed and goes with it.
    /// </summary>
    public async Task<IReadOnlyList<EngineResource>> ListAsync(IReadOnlyDictionary<string, string> labelSelector, CancellationToken cancellationToken)
    {
        var selector = string.Join(",", labelSelector.Select(l => $"{l.Key}={l.Value}"));
        var found = new List<EngineResource>();
        found.AddRange((await client.CoreV1.ListNamespaceAsync(labelSelector: selector, cancellationToken: cancellationToken).ConfigureAwait(false)).Items
            .Select(n => Resource("namespace", null, n.Metadata)));
        found.AddRange((await client.CoreV1.ListPodForAllNamespacesAsync(labelSelector: selector, cancellationToken: cancellationToken).ConfigureAwait(false)).Items
            .Select(p => Resource("pod", p.Metadata.NamespaceProperty, p.Metadata)));
        found.AddRange((await client.CoreV1.ListServiceForAllNamespacesAsync(labelSelector: selector, cancellationToken: cancellationToken).ConfigureAwait(false)).Items
            .Select(s => Resource("service", s.Metadata.NamespaceProperty, s.Metadata)));
        found.AddRange((await client.NetworkingV1.ListNetworkPolicyForAllNamespacesAsync(labelSelector: selector, cancellationToken: cancellationToken).ConfigureAwait(false)).Items
            .Select(p => Resource("networkpolicy", p.Metadata.NamespaceProperty, p.Metadata)));
        found.AddRange((await client.CoreV1.ListPersistentVolumeAsync(labelSelector: selector, cancellationToken: cancellationToken).ConfigureAwait(false)).Items
            .Where(v => v.Metadata.Labels?.ContainsKey(LabLabels.Persistent) == true)
            .Select(StorageResource));
        try
        {
            var vms = await client.CustomObjects.ListClusterCustomObjectAsync(KubeVirtGroup, KubeVirtVersion, "virtualmachines", labelSelector: selector, cancellationToken: cancellationToken).ConfigureAwait(false);
            foreach (var vm in Items(vms))
            {
                var metadata = vm["metadata"]!;
                var labels = (metadata["labels"] as JsonObject)?.ToDictionary(l => l.Key, l => l.Value!.GetValue<string>()) ?? [];
                found.Add(new EngineResource("virtualmachine", $"{metadata["namespace"]}/{metadata["name"]}", labels));
            }
        }
        catch (HttpOperationException e) when (KubernetesErrors.IsNotFound(e))
        {
            // No KubeVirt in this cluster: no VirtualMachines either.
        }

        return found;
    }

    private async Task ApplyObjectAsync(SessionObject item, CancellationToken cancellationToken)
    {
        var patch = new V1Patch(item.Body, V1Patch.PatchType.ApplyPatch);
        var manager = options.FieldManager;
        await KubernetesErrors.CallAsync($"apply {item}", () => (item.Group, item.Plural) switch
        {
            ("", "namespaces") => client.CoreV1.PatchNamespaceAsync(patch, item.Name, fieldManager: manager, force: true, cancellationToken: cancellationToken),
            ("", "secrets") => client.CoreV1.PatchNamespacedSecretAsync(patch, item.Name, item.Namespace, fieldManager: manager, force: true, cancellationToken: cancellationToken),
            ("", "services") => client.CoreV1.PatchNamespacedServiceAsync(patch, item.Name, item.Namespace, fieldManager: manager, force: true, cancellationToken: cancellationToken),
            ("", "pods") => client.CoreV1.PatchNamespacedPodAsync(patch, item.Name, item.Namespace, fieldManager: manager, force: true, cancellationToken: cancellationToken),
            ("", "resourcequotas") => client.CoreV1.PatchNamespacedResourceQuotaAsync(patch, item.Name, item.Namespace, fieldManager: manager, force: true, cancellationToken: cancellationToken),
            ("", "limitranges") => client.CoreV1.PatchNamespacedLimitRangeAsync(patch, item.Name, item.Namespace, fieldManager: manager, force: true, cancellationToken: cancellationToken),
            _ => (Task)client.CustomObjects.PatchNamespacedCustomObjectAsync(patch, item.Group, item.Version, item.Namespace, item.Plural, item.Name, fieldManager: manager, force: true, cancellationToken: cancellationToken),
        }).ConfigureAwait(false);
    }

    /// <summary>Reports every node's changes until all run; fails at the first node that cannot start.</summary>
    private async Task WaitRunningAsync(CompiledPlan plan, IProgress<NodeStatus>? progress, CancellationToken cancellationToken)
    {
        var ns = plan.Namespace.Metadata.Name;
        var hasVms = plan.Nodes.Any(n => n.Kind == NodeKind.Vm);
        using var changes = new SemaphoreSlim(0, 1);
        using var stopWatching = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var watches = new List<Task> { WatchPodsAsync(ns, changes, stopWatching.Token) };
        if (hasVms)
        {
            watches.Add(WatchVmisAsync(plan.SessionId, changes, stopWatching.Token));
        }

        var reported = new Dictionary<string, NodeStatus>(StringComparer.Ordinal);
        try
        {
            while (true)
            {
                var observed = await ObserveAsync(plan, cancellationToken).ConfigureAwait(false);
                foreach (var observation in observed)
                {
                    if (!reported.TryGetValue(observation.Status.Node, out var last) || last != observation.Status)
                    {
                        reported[observation.Status.Node] = observation.Status;
                        progress?.Report(observation.Status);
                    }
                }

                if (observed.FirstOrDefault(o => o.Status.State == NodeState.Failed) is { } failed)
                {
                    throw new EngineException($"Node '{failed.Status.Node}' cannot start: {failed.Status.Message} ({failed.Detail})");
                }

                if (observed.All(o => o.Status.State == NodeState.Running))
                {
                    return;
                }

                using var resync = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                var delay = Task.Delay(options.ResyncPeriod, time, resync.Token);
                await Task.WhenAny(changes.WaitAsync(cancellationToken), delay).ConfigureAwait(false);
                await resync.CancelAsync().ConfigureAwait(false);
                cancellationToken.ThrowIfCancellationRequested();
            }
        }
        finally
        {
            await stopWatching.CancelAsync().ConfigureAwait(false);
            await Task.WhenAll(watches).ConfigureAwait(false);
        }
    }

    private async Task<IReadOnlyList<NodeObservation>> ObserveAsync(CompiledPlan plan, CancellationToken cancellationToken)
    {
        var ns = plan.Namespace.Metadata.Name;
        var pods = (await ListPodsAsync(ns, cancellationToken).ConfigureAwait(false)).ToDictionary(p => p.Metadata.Name, StringComparer.Ordinal);
        var hasVms = plan.Nodes.Any(n => n.Kind == NodeKind.Vm);
        var vms = hasVms ? await ListCustomAsync(ns, "virtualmachines", cancellationToken).ConfigureAwait(false) : [];
        var vmis = hasVms ? await ListCustomAsync(ns, "virtualmachineinstances", cancellationToken).ConfigureAwait(false) : [];
        return plan.Nodes
            .Select(n => n.Kind == NodeKind.Vm
                ? NodeStatusMapper.FromVirtualMachine(n.Name, vms.GetValueOrDefault(n.Name), vmis.GetValueOrDefault(n.Name))
                : NodeStatusMapper.FromPod(n.Name, pods.GetValueOrDefault(n.Pod.Metadata.Name)))
            .ToList();
    }

    private async Task<IList<V1Pod>> ListPodsAsync(string ns, CancellationToken cancellationToken) =>
        (await KubernetesErrors.CallAsync($"list the pods of namespace {ns}",
            () => client.CoreV1.ListNamespacedPodAsync(ns, labelSelector: $"{LabLabels.ManagedBy}={LabLabels.ManagedByValue}", cancellationToken: cancellationToken)).ConfigureAwait(false)).Items;

    private async Task<Dictionary<string, JsonNode>> ListCustomAsync(string ns, string plural, CancellationToken cancellationToken)
    {
        try
        {
            var list = await client.CustomObjects.ListNamespacedCustomObjectAsync(KubeVirtGroup, KubeVirtVersion, ns, plural, cancellationToken: cancellationToken).ConfigureAwait(false);
            return Items(list).ToDictionary(i => i["metadata"]!["name"]!.GetValue<string>(), StringComparer.Ordinal);
        }
        catch (HttpOperationException e) when (KubernetesErrors.IsNotFound(e))
        {
            return [];
        }
    }

    private async Task WatchPodsAsync(string ns, SemaphoreSlim changes, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var _ in client.CoreV1.WatchListNamespacedPodAsync(ns, cancellationToken: cancellationToken).ConfigureAwait(false))
            {
                Signal(changes);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or HttpRequestException or HttpOperationException or IOException)
        {
            // The resync period covers a watch that ended; cancellation ends it on purpose.
        }
    }

    private async Task WatchVmisAsync(string sessionId, SemaphoreSlim changes, CancellationToken cancellationToken)
    {
        try
        {
            // VirtualMachineInstances carry the session label from their VirtualMachine's template.
            var events = client.CustomObjects.WatchListCustomObjectForAllNamespacesAsync(
                KubeVirtGroup, KubeVirtVersion, "virtualmachineinstances", labelSelector: $"{LabLabels.Session}={sessionId}", cancellationToken: cancellationToken);
            await foreach (var _ in events.ConfigureAwait(false))
            {
                Signal(changes);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or HttpRequestException or HttpOperationException or IOException)
        {
            // As for pods.
        }
    }

    private static void Signal(SemaphoreSlim changes)
    {
        try
        {
            changes.Release();
        }
        catch (SemaphoreFullException)
        {
            // A change is already pending; one re-read covers both.
        }
    }

    private static IEnumerable<JsonNode> Items(object list) =>
        JsonSerializer.SerializeToNode(list)?["items"] is JsonArray items ? items.OfType<JsonNode>() : [];

    private static bool IsNode(SessionObject item) => item.Plural is "pods" or "virtualmachines";

    private static string? NodeOf(IDictionary<string, string>? labels) => labels?.TryGetValue(LabLabels.Node, out var node) == true ? node : null;

    private static bool IsVmLauncher(V1Pod pod) => pod.Metadata.Labels?.TryGetValue(LabLabels.NodeKind, out var kind) == true && kind == LabLabels.NodeKindVm;

    private static EngineResource Resource(string kind, string? ns, V1ObjectMeta metadata) =>
        new(kind, ns is null ? metadata.Name : $"{ns}/{metadata.Name}", new Dictionary<string, string>(metadata.Labels ?? new Dictionary<string, string>()));

    [LoggerMessage(Level = LogLevel.Information, Message = "Session {SessionId} applied to namespace {Namespace}")]
    private partial void LogApplied(string sessionId, string @namespace);
}
