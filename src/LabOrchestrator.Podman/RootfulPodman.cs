namespace LabOrchestrator.Podman;

/// <summary>
/// Whether the engine runs as root, and so its Podman is rootful: lab bridges are then the host's own interfaces, which
/// the host reaches nodes through (and must guard), and which the engine may configure. Rootless Podman's networks live
/// in a namespace of their own, reached through ports published on loopback.
/// </summary>
internal static class RootfulPodman
{
    public static bool IsRootful => Environment.UserName == "root";
}
