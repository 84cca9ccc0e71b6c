using System.Net;
using System.Text.Json.Nodes;
using LabOrchestrator.Compilation;
using LabOrchestrator.Engines;
using LabOrchestrator.Labs;
using Microsoft.Extensions.Logging;

namespace LabOrchestrator.Kubernetes.Engine;

/// <summary>
/// Pause and resume through KubeVirt's <c>pause</c> and <c>unpause</c> subresources of a VM node's
/// VirtualMachineInstance: the guest is frozen with its memory kept. Kubernetes has no such call for a container
/// (deleting a pod loses its memory, and the cgroup freezer is the kubelet's, not the API's), so a session with container
/// nodes is refused rather than pretending. Saving a whole session is refused too: see <see cref="SaveAsync"/>.
/// </summary>
internal sealed partial class KubernetesEngine
{
    public string? PauseRefusal(LabDefinition lab)
    {
        ArgumentNullException.ThrowIfNull(lab);
        return lab.Nodes.FirstOrDefault(n => n.Kind != NodeKind.Vm) is { } container ? ContainerPauseRefusal(container.Name) : null;
    }

    public async Task PauseAsync(string sessionId, CancellationToken cancellationToken)
    {
        var ns = LabCompiler.NamespaceFor(sessionId);
        var container = (await ListPodsAsync(ns, cancellationToken).ConfigureAwait(false))
            .Select(p => IsVmLauncher(p) ? null : NodeOf(p.Metadata.Labels))
            .FirstOrDefault(n => n is not null);
        if (container is not null)
        {
            throw new EngineException(ContainerPauseRefusal(container));
        }

        await SetPausedAsync(sessionId, ns, paused: true, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Unpauses every paused VM of the session; container nodes were never paused, so they are left as they are.</summary>
    public Task ResumeAsync(string sessionId, CancellationToken cancellationToken) =>
        SetPausedAsync(sessionId, LabCompiler.NamespaceFor(sessionId), paused: false, cancellationToken);

    public Task<IReadOnlyDictionary<string, string>> SaveAsync(string sessionId, IReadOnlyDictionary<string, string> labels, CancellationToken cancellationToken) =>
        throw new EngineException(
            "Sessions on the Kubernetes engine cannot be saved: a cluster cannot commit a running container's files to an image, and VM disks are containerDisks that start afresh. What the lab keeps in its storage folders stays for your next session.");

    private static string ContainerPauseRefusal(string node) =>
        $"Pausing keeps memory only for virtual machines on the Kubernetes engine; node '{node}' is a container, and Kubernetes cannot freeze a container's processes. Stop the session instead (what the lab keeps in its storage folders stays for your next session).";

    private async Task SetPausedAsync(string sessionId, string ns, bool paused, CancellationToken cancellationToken)
    {
        var action = paused ? "pause" : "unpause";
        var vmis = await ListCustomAsync(ns, "virtualmachineinstances", cancellationToken).ConfigureAwait(false);
        if (paused && vmis.Count == 0)
        {
            throw new EngineException($"Session '{sessionId}' has no running virtual machines to pause; were they removed?");
        }

        var pending = vmis.Where(v => IsPaused(v.Value) != paused).Select(v => v.Key).ToList();
        // All at once: a lab of several VMs pauses as fast as its slowest guest.
        await Task.WhenAll(pending.Select(name => CallVmiSubresourceAsync(ns, name, action, cancellationToken))).ConfigureAwait(false);
        await WaitPausedAsync(ns, pending, paused, cancellationToken).ConfigureAwait(false);
        LogPauseChanged(sessionId, action, pending.Count);
    }

    private async Task CallVmiSubresourceAsync(string ns, string node, string action, CancellationToken cancellationToken)
    {
        var (status, body) = await sockets.PutAsync(KubeVirtPath(ns, node, action), cancellationToken).ConfigureAwait(false);
        if (status == HttpStatusCode.Conflict && body.Contains(action == "pause" ? "already paused" : "not paused", StringComparison.OrdinalIgnoreCase))
        {
            // Paused (or resumed) meanwhile: what was asked.
            return;
        }

        if ((int)status is < 200 or >= 300)
        {
            throw new EngineException($"KubeVirt refused to {action} VM node '{node}' ({(int)status} {status}): {KubernetesErrors.Message(body)}")
            {
                HostFix = status switch
                {
                    HttpStatusCode.NotFound => "install KubeVirt in the cluster (its subresources.kubevirt.io API serves pause and unpause)",
                    HttpStatusCode.Forbidden => "grant the orchestrator update on virtualmachineinstances/pause and /unpause (deploy/kubernetes/base/rbac.yaml)",
                    _ => null,
                },
            };
        }
    }

    /// <summary>KubeVirt answers once the guest is frozen; its Paused condition follows a moment later.</summary>
    private async Task WaitPausedAsync(string ns, IReadOnlyList<string> nodes, bool paused, CancellationToken cancellationToken)
    {
        using var deadline = new CancellationTokenSource(options.PauseTimeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        var waiting = nodes;
        try
        {
            while (waiting.Count > 0)
            {
                var vmis = await ListCustomAsync(ns, "virtualmachineinstances", linked.Token).ConfigureAwait(false);
                waiting = waiting.Where(n => vmis.TryGetValue(n, out var vmi) && IsPaused(vmi) != paused).ToList();
                if (waiting.Count > 0)
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(250), time, linked.Token).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new EngineException(
                $"VM node(s) {string.Join(", ", waiting.Select(n => $"'{n}'"))} did not report {(paused ? "paused" : "running")} within {options.PauseTimeout.TotalSeconds:0} s.");
        }
    }

    /// <summary>KubeVirt's condition on a paused VirtualMachineInstance (reason PausedByUser).</summary>
    internal static bool IsPaused(JsonNode? vmi) =>
        vmi?["status"]?["conditions"] is JsonArray conditions
        && conditions.Any(c => c?["type"]?.GetValue<string>() == "Paused" && c["status"]?.GetValue<string>() == "True");

    [LoggerMessage(Level = LogLevel.Information, Message = "Session {SessionId}: {Action} of {Vms} VM(s) done")]
    private partial void LogPauseChanged(string sessionId, string action, int vms);

    /// <summary>Unknown: every cluster node pulls images for itself, and the API server cannot see their stores.</summary>
    public Task<bool?> ImageExistsAsync(string image, CancellationToken cancellationToken) => Task.FromResult<bool?>(null);
}
