namespace LabOrchestrator.Kubernetes;

/// <summary>How the orchestrator reaches a Kubernetes cluster, bound from the "Kubernetes" configuration section.</summary>
public sealed record KubernetesOptions
{
    public const string SectionName = "Kubernetes";

    /// <summary>A kubeconfig file. Null: the in-cluster service account when running in a pod, otherwise no cluster is configured.</summary>
    public string? Kubeconfig { get; set; }

    /// <summary>The kubeconfig context to use; null for its current context.</summary>
    public string? Context { get; set; }

    /// <summary>Whether a cluster is configured at all: a kubeconfig, or the service account of a pod.</summary>
    public bool IsConfigured => Kubeconfig is not null || k8s.KubernetesClientConfiguration.IsInCluster();

    internal k8s.KubernetesClientConfiguration ClientConfiguration() =>
        Kubeconfig is { } path
            ? k8s.KubernetesClientConfiguration.BuildConfigFromConfigFile(path, Context)
            : k8s.KubernetesClientConfiguration.InClusterConfig();
}
