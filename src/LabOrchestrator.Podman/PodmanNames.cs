using LabOrchestrator.Compilation;

namespace LabOrchestrator.Podman;

/// <summary>Podman object names. Pod and network names are global in Podman, so each carries the session id.</summary>
internal static class PodmanNames
{
    /// <summary>The lab network name used for nodes that join no lab network.</summary>
    public const string DefaultNetwork = "default";

    public static string Pod(string sessionId, string node) => $"lo-{sessionId}-{node}";

    public static string Network(string sessionId, string network) => $"lo-{sessionId}-{network}";

    /// <summary>kube play names a pod's container "{pod}-{container}".</summary>
    public static string NodeContainer(string sessionId, string node) => $"{Pod(sessionId, node)}-{LabCompiler.ContainerName}";
}
