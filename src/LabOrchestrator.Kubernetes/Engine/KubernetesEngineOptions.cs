namespace LabOrchestrator.Kubernetes.Engine;

/// <summary>How the Kubernetes engine behaves, bound from the "Kubernetes" section beside the cluster settings.</summary>
public sealed record KubernetesEngineOptions
{
    /// <summary>The field manager of every server-side apply; one name, so re-applying a plan changes nothing.</summary>
    public string FieldManager { get; set; } = "lab-orchestrator";

    /// <summary>How long a delete waits for the session's namespace to be gone.</summary>
    public TimeSpan DeleteTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>How long pause and resume wait for KubeVirt to report each VM paused or running again.</summary>
    public TimeSpan PauseTimeout { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How long a node's reset waits for its old Pod or VirtualMachine to be gone.</summary>
    public TimeSpan ResetTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// The StorageClass of new per-learner storage claims; null: the cluster's default class. Whatever the class's
    /// reclaim policy, the engine sets Retain on the bound volume, so the data outlives the session's namespace.
    /// </summary>
    public string? StorageClassName { get; set; }

    /// <summary>The size of each new per-learner storage claim (a Kubernetes quantity).</summary>
    public string StorageSize { get; set; } = "1Gi";

    /// <summary>How often a wait re-reads state when no watch event came (watches can end without notice).</summary>
    public TimeSpan ResyncPeriod { get; set; } = TimeSpan.FromSeconds(5);
}
