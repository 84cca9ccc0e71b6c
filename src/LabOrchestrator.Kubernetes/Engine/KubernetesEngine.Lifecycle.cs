using LabOrchestrator.Engines;

namespace LabOrchestrator.Kubernetes.Engine;

/// <summary>Lifecycle calls the Kubernetes engine does not offer yet; each says so plainly instead of pretending.</summary>
internal sealed partial class KubernetesEngine
{
    public Task PauseAsync(string sessionId, CancellationToken cancellationToken) =>
        throw new EngineException("Pausing is not available on the Kubernetes engine yet: Kubernetes cannot freeze a pod, and KubeVirt's pause of VMs is not wired in.");

    public Task ResumeAsync(string sessionId, CancellationToken cancellationToken) =>
        throw new EngineException("Resuming is not available on the Kubernetes engine yet (sessions on it cannot be paused).");

    public Task ResetNodeAsync(Compilation.CompiledPlan plan, string node, IProgress<NodeStatus>? progress, CancellationToken cancellationToken) =>
        throw new EngineException("Resetting a node is not available on the Kubernetes engine yet.");

    public Task<IReadOnlyDictionary<string, string>> SaveAsync(string sessionId, IReadOnlyDictionary<string, string> labels, CancellationToken cancellationToken) =>
        throw new EngineException("Saving a session is not available on the Kubernetes engine yet.");

    /// <summary>Unknown: every cluster node pulls images for itself, and the API server cannot see their stores.</summary>
    public Task<bool?> ImageExistsAsync(string image, CancellationToken cancellationToken) => Task.FromResult<bool?>(null);

    public Task DeletePersistentAsync(IReadOnlyDictionary<string, string> labelSelector, CancellationToken cancellationToken) =>
        throw new EngineException("Per-learner storage and saved sessions are not available on the Kubernetes engine yet.");
}
