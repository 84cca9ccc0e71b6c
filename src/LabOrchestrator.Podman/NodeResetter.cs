using System.Net;
using LabOrchestrator.Compilation;
using LabOrchestrator.Engines;
using Microsoft.Extensions.Logging;

namespace LabOrchestrator.Podman;

/// <summary>
/// Resets one node: removes its pod (a VM node's launcher pod, whose qemu overlay goes with it) and plays it again from the
/// plan with <see cref="SessionApplier"/>, which keeps everything that still exists: the session's networks, its other
/// nodes, the VM's disk volume and per-learner storage. The node gets its old address again.
/// </summary>
internal sealed class NodeResetter(PodmanApiClient api, PodmanService service, PodmanEngineOptions options, ILogger logger, TimeProvider time)
{
    public async Task ResetAsync(CompiledPlan plan, string node, IProgress<NodeStatus>? progress, CancellationToken cancellationToken)
    {
        plan.GetNode(node);
        progress?.Report(new NodeStatus(node, NodeState.Creating));
        var selector = new Dictionary<string, string> { [LabLabels.Session] = plan.SessionId, [LabLabels.Node] = node };
        var inventory = new SessionInventory(api, logger);
        var pods = (await inventory.ListAsync(selector, cancellationToken).ConfigureAwait(false)).Where(r => r.Kind == "pod").ToList();
        foreach (var pod in pods)
        {
            var name = Uri.EscapeDataString(pod.Name);
            // Killed first: a forced delete waits out each container's stop timeout.
            await IgnoreMissingAsync(() => api.PostJsonAsync($"pods/{name}/kill?signal=SIGKILL", null, cancellationToken)).ConfigureAwait(false);
            await IgnoreMissingAsync(() => api.DeleteAsync($"pods/{name}?force=true", cancellationToken)).ConfigureAwait(false);
        }

        foreach (var container in (await inventory.ListAsync(selector, cancellationToken).ConfigureAwait(false)).Where(r => r.Kind == "container"))
        {
            await IgnoreMissingAsync(() => api.DeleteAsync($"containers/{Uri.EscapeDataString(container.Name)}?force=true&timeout=0", cancellationToken)).ConfigureAwait(false);
        }

        PersistLog.NodeRemoved(logger, node, plan.SessionId, pods.Count);
        await new SessionApplier(api, service, options, logger, time).ApplyAsync(plan, new OneNode(node, progress), cancellationToken).ConfigureAwait(false);
    }

    private static async Task IgnoreMissingAsync(Func<Task> action)
    {
        try
        {
            await action().ConfigureAwait(false);
        }
        catch (PodmanApiException e) when (e.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.NotModified or HttpStatusCode.Conflict)
        {
            // Gone already, or not running (409 on kill): either way it is on its way out.
        }
    }

    /// <summary>The applier reports every node of the plan; the others did not change, so only this node's reports pass.</summary>
    private sealed class OneNode(string node, IProgress<NodeStatus>? inner) : IProgress<NodeStatus>
    {
        public void Report(NodeStatus value)
        {
            if (value.Node == node)
            {
                inner?.Report(value);
            }
        }
    }
}
