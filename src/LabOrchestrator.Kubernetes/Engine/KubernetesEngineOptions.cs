namespace LabOrchestrator.Kubernetes.Engine;

/// <summary>How the Kubernetes engine behaves, bound from the "Kubernetes" section beside the cluster settings.</summary>
public sealed record KubernetesEngineOptions
{
    /// <summary>The field manager of every server-side apply; one name, so re-applying a plan changes nothing.</summary>
    public string FieldManager { get; set; } = "lab-orchestrator";

    /// <summary>How long a delete waits for the session's namespace to be gone.</summary>
    public TimeSpan DeleteTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>How often a wait re-reads state when no watch event came (watches can end without notice).</summary>
    public TimeSpan ResyncPeriod { get; set; } = TimeSpan.FromSeconds(5);
}
