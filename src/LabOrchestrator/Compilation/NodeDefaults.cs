namespace LabOrchestrator.Compilation;

/// <summary>
/// What a container node gets when its lab file gives no <c>resources</c>: the Podman engine's defaults
/// (<c>Podman:DefaultCpu</c>, <c>Podman:DefaultMemory</c>) and each session namespace's LimitRange on Kubernetes.
/// </summary>
public static class NodeDefaults
{
    public const string Cpu = "1";

    public const string Memory = "512Mi";
}
