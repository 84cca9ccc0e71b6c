using System.Text.Json;
using LabOrchestrator.Compilation;
using LabOrchestrator.Engines;
using LabOrchestrator.Sessions;
using Microsoft.Extensions.Logging;

namespace LabOrchestrator.Podman;

/// <summary>Finds, reports on and removes engine objects by their labels, never by name.</summary>
internal sealed class SessionInventory(PodmanApiClient api, ILogger logger)
{
    public async Task<IReadOnlyList<EngineResource>> ListAsync(IReadOnlyDictionary<string, string> selector, CancellationToken cancellationToken)
    {
        var filters = PodmanApiClient.Filters(selector);
        // The four listings at once: each is a round trip to the service, which answers them in parallel.
        var lists = await Task.WhenAll(
            QueryAsync("pod", $"pods/json?filters={filters}", "Name", "Labels", cancellationToken),
            QueryAsync("container", $"containers/json?all=true&filters={filters}", "Names", "Labels", cancellationToken),
            QueryAsync("network", $"networks/json?filters={filters}", "name", "labels", cancellationToken),
            QueryAsync("volume", $"volumes/json?filters={filters}", "Name", "Labels", cancellationToken)).ConfigureAwait(false);
        return Matching(lists.SelectMany(l => l), selector);
    }

    // Podman's label filters have differed between versions (any vs. all); the contract is "all".
    private static List<EngineResource> Matching(IEnumerable<EngineResource> resources, IReadOnlyDictionary<string, string> selector) =>
        resources.Where(r => selector.All(s => r.Labels.TryGetValue(s.Key, out var v) && v == s.Value)).ToList();

    public async Task DeleteAsync(string sessionId, CancellationToken cancellationToken)
    {
        var selector = new Dictionary<string, string> { [LabLabels.Session] = sessionId };
        IReadOnlyList<EngineResource> found;
        using (SessionTracing.Begin("podman.list", sessionId))
        {
            found = await ListAsync(selector, cancellationToken).ConfigureAwait(false);
        }

        var pods = found.Where(r => r.Kind == "pod").ToList();
        await Task.WhenAll(pods.Select(async pod =>
        {
            var name = Uri.EscapeDataString(pod.Name);
            // Killed first: a forced delete waits out each container's stop timeout (10 s), and Podman 4.3 reads stop?t=0 as "default".
            using (SessionTracing.Begin("podman.kill_pod", sessionId, pod.Name))
            {
                await IgnoreMissingAsync(() => api.PostJsonAsync($"pods/{name}/kill?signal=SIGKILL", null, cancellationToken), ignoreConflict: true).ConfigureAwait(false);
            }

            using var span = SessionTracing.Begin("podman.remove_pod", sessionId, pod.Name);
            await IgnoreMissingAsync(() => api.DeleteAsync($"pods/{name}?force=true", cancellationToken)).ConfigureAwait(false);
        })).ConfigureAwait(false);

        // Containers left without their pod (or made by hand with the labels).
        // Only containers can be left by the pods' removal: the other kinds were listed above and are removed below.
        var relist = SessionTracing.Begin("podman.list_leftovers", sessionId);
        var containers = Matching(
            await QueryAsync("container", $"containers/json?all=true&filters={PodmanApiClient.Filters(selector)}", "Names", "Labels", cancellationToken).ConfigureAwait(false),
            selector);
        relist?.Dispose();
        foreach (var container in containers)
        {
            await IgnoreMissingAsync(() => api.DeleteAsync($"containers/{Uri.EscapeDataString(container.Name)}?force=true&timeout=0&v=true", cancellationToken)).ConfigureAwait(false);
        }

        var networks = found.Where(r => r.Kind == "network").ToList();
        using var removeSpan = SessionTracing.Begin("podman.remove_networks_volumes", sessionId);
        foreach (var network in networks)
        {
            await IgnoreMissingAsync(() => api.DeleteAsync($"networks/{Uri.EscapeDataString(network.Name)}?force=true", cancellationToken)).ConfigureAwait(false);
        }

        var volumes = found.Where(r => r.Kind == "volume").ToList();
        foreach (var volume in volumes)
        {
            await IgnoreMissingAsync(() => api.DeleteAsync($"volumes/{Uri.EscapeDataString(volume.Name)}?force=true", cancellationToken)).ConfigureAwait(false);
        }

        PodmanLog.SessionDeleted(logger, sessionId, pods.Count, containers.Count, networks.Count, volumes.Count);
    }

    public async Task<IReadOnlyList<NodeStatus>> GetStatusAsync(string sessionId, CancellationToken cancellationToken)
    {
        var filters = PodmanApiClient.Filters(new Dictionary<string, string> { [LabLabels.Session] = sessionId });
        var pods = await api.GetAsync($"pods/json?filters={filters}", cancellationToken).ConfigureAwait(false);
        var statuses = new List<NodeStatus>();
        foreach (var pod in Items(pods))
        {
            var labels = Labels(pod, "Labels");
            var podName = pod.GetProperty("Name").GetString()!;
            var node = labels.TryGetValue(LabLabels.Node, out var n) ? n : podName;
            var container = $"{podName}-{LabCompiler.ContainerName}";
            var status = Items(pod.TryGetProperty("Containers", out var c) ? c : null)
                .Where(x => x.GetProperty("Names").GetString() == container)
                .Select(x => x.GetProperty("Status").GetString())
                .FirstOrDefault();
            statuses.Add(new NodeStatus(node, StateOf(status), status is null ? "The node's container is missing." : null));
        }

        return statuses.OrderBy(s => s.Node, StringComparer.Ordinal).ToList();
    }

    private static NodeState StateOf(string? status) => status switch
    {
        "running" => NodeState.Running,
        "created" or "configured" or "initialized" => NodeState.Starting,
        "exited" or "stopped" or "paused" => NodeState.Stopped,
        null => NodeState.Missing,
        _ => NodeState.Failed,
    };

    private async Task<IEnumerable<EngineResource>> QueryAsync(string kind, string path, string nameProperty, string labelsProperty, CancellationToken cancellationToken)
    {
        var items = await api.GetAsync(path, cancellationToken).ConfigureAwait(false);
        return Items(items).Select(item =>
        {
            var name = item.GetProperty(nameProperty);
            // Containers list their names as an array.
            var text = name.ValueKind == JsonValueKind.Array ? name[0].GetString()! : name.GetString()!;
            return new EngineResource(kind, text, Labels(item, labelsProperty));
        }).ToList();
    }

    private static IEnumerable<JsonElement> Items(JsonElement? array) =>
        array is { ValueKind: JsonValueKind.Array } a ? a.EnumerateArray() : [];

    private static Dictionary<string, string> Labels(JsonElement item, string property) =>
        item.TryGetProperty(property, out var labels) && labels.ValueKind == JsonValueKind.Object
            ? labels.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString() ?? "")
            : [];

    /// <param name="action">The call.</param>
    /// <param name="ignoreConflict">Also accept 409, which Podman answers when killing a pod that is not running.</param>
    private static async Task IgnoreMissingAsync(Func<Task> action, bool ignoreConflict = false)
    {
        try
        {
            await action().ConfigureAwait(false);
        }
        catch (PodmanApiException e) when (e.StatusCode is System.Net.HttpStatusCode.NotFound or System.Net.HttpStatusCode.NotModified
            || (ignoreConflict && e.StatusCode == System.Net.HttpStatusCode.Conflict)
            || IsGoneMeanwhile(e))
        {
            // Gone already (a concurrent delete, or a pod that went with its containers): that is the goal.
        }
    }

    /// <summary>
    /// Podman 4.3 answers 500 "… not found in database: no such pod" (or container) when another delete removed the
    /// object between its lookup and its removal, as when the reconciler, a pool shrink and a stop race.
    /// </summary>
    internal static bool IsGoneMeanwhile(PodmanApiException e) =>
        e.Message.Contains("no such pod", StringComparison.Ordinal)
        || e.Message.Contains("no such container", StringComparison.Ordinal)
        || e.Message.Contains("no such network", StringComparison.Ordinal)
        || e.Message.Contains("no such volume", StringComparison.Ordinal);
}
