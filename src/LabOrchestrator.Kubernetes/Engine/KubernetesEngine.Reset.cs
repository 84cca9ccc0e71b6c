using k8s;
using k8s.Autorest;
using LabOrchestrator.Compilation;
using LabOrchestrator.Engines;
using LabOrchestrator.Labs;
using Microsoft.Extensions.Logging;

namespace LabOrchestrator.Kubernetes.Engine;

/// <summary>
/// Resets one node: deletes its Pod (a container node) or its VirtualMachine with its VirtualMachineInstance (a VM node,
/// whose containerDisk and launcher pod go with them), waits until they are gone, and applies the plan again under the
/// same field manager. Everything else is unchanged by that apply: the session's namespace, Secrets, Services, policies,
/// other nodes and per-learner storage claims (which outlive a reset as they outlive the session).
/// </summary>
internal sealed partial class KubernetesEngine
{
    public async Task ResetNodeAsync(CompiledPlan plan, string node, IProgress<NodeStatus>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var planned = plan.GetNode(node);
        var ns = plan.Namespace.Metadata.Name;
        progress?.Report(new NodeStatus(node, NodeState.Creating, "This machine is being reset."));
        if (planned.Kind == NodeKind.Vm && planned.VirtualMachine is not null)
        {
            await DeleteIgnoringMissingAsync($"delete VirtualMachine {ns}/{node}",
                () => client.CustomObjects.DeleteNamespacedCustomObjectAsync(KubeVirtGroup, KubeVirtVersion, ns, "virtualmachines", node, propagationPolicy: "Foreground", cancellationToken: cancellationToken)).ConfigureAwait(false);
            // KubeVirt deletes it as the VM's dependant; deleting it too covers a VMI whose owner reference is missing.
            await DeleteIgnoringMissingAsync($"delete VirtualMachineInstance {ns}/{node}",
                () => client.CustomObjects.DeleteNamespacedCustomObjectAsync(KubeVirtGroup, KubeVirtVersion, ns, "virtualmachineinstances", node, cancellationToken: cancellationToken)).ConfigureAwait(false);
            await WaitGoneAsync(node, async token =>
                (await ListCustomAsync(ns, "virtualmachines", token).ConfigureAwait(false)).ContainsKey(node)
                || (await ListCustomAsync(ns, "virtualmachineinstances", token).ConfigureAwait(false)).ContainsKey(node), cancellationToken).ConfigureAwait(false);
        }
        else
        {
            var pod = planned.Pod.Metadata.Name;
            // A short grace period: the learner asked for a fresh machine, not for its processes to shut down cleanly.
            await DeleteIgnoringMissingAsync($"delete Pod {ns}/{pod}",
                () => client.CoreV1.DeleteNamespacedPodAsync(pod, ns, gracePeriodSeconds: 1, cancellationToken: cancellationToken)).ConfigureAwait(false);
            await WaitGoneAsync(node, async token =>
                (await ListPodsAsync(ns, token).ConfigureAwait(false)).Any(p => p.Metadata.Name == pod), cancellationToken).ConfigureAwait(false);
        }

        LogNodeRemoved(node, plan.SessionId);
        await ApplyAsync(plan, new OneNode(node, progress), cancellationToken).ConfigureAwait(false);
    }

    private async Task DeleteIgnoringMissingAsync(string what, Func<Task> delete)
    {
        try
        {
            await delete().ConfigureAwait(false);
        }
        catch (HttpOperationException e) when (KubernetesErrors.IsNotFound(e))
        {
            // Gone already (a reset interrupted earlier, or KubeVirt's garbage collection was first).
        }
        catch (HttpOperationException e)
        {
            throw KubernetesErrors.Translate(what, e);
        }
    }

    private async Task WaitGoneAsync(string node, Func<CancellationToken, Task<bool>> exists, CancellationToken cancellationToken)
    {
        using var deadline = new CancellationTokenSource(options.ResetTimeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        try
        {
            while (await exists(linked.Token).ConfigureAwait(false))
            {
                await Task.Delay(TimeSpan.FromMilliseconds(250), time, linked.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new EngineException($"Node '{node}' was still being removed after {options.ResetTimeout.TotalSeconds:0} s, so it was not reset.")
            {
                HostFix = "look for finalizers or a kubelet that does not answer on the node's cluster node (kubectl describe pod)",
            };
        }
    }

    /// <summary>Apply reports every node of the plan; the others did not change, so only this node's reports pass.</summary>
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

    [LoggerMessage(Level = LogLevel.Information, Message = "Node {Node} of session {SessionId} removed for a reset; applying it again")]
    private partial void LogNodeRemoved(string node, string sessionId);
}
