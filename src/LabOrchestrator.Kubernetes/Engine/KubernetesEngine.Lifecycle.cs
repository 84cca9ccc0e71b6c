using LabOrchestrator.Engines;

namespace LabOrchestrator.Kubernetes.Engine;

/// <summary>Lifecycle calls the Kubernetes engine does not offer yet; each says so plainly instead of pretending.</summary>
internal sealed partial class KubernetesEngine
{
    public Task PauseAsync(string sessionId, CancellationToken cancellationToken) =>
        throw new EngineException("Pausing is not available on the Kubernetes engine yet: Kubernetes cannot freeze a pod, and KubeVirt's pause of VMs is not wired in.");

    public Task ResumeAsync(string sessionId, CancellationToken cancellationToken) =>
        throw new EngineException("Resuming is not available on the Kubernetes engine yet (sessions on it cannot be paused).");
}
