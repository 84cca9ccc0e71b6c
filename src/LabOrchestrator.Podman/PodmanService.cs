namespace LabOrchestrator.Podman;

/// <summary>The Podman service the engine talks to, and the seccomp profiles its own configuration offers pods.</summary>
/// <param name="SocketPath">The API socket.</param>
/// <param name="RefusingSeccomp">
/// The kube seccomp annotation value (<c>localhost/FILE</c>, relative to the service's working folder) of the profile
/// that refuses user namespaces; null when the service is not the engine's own or the host has no default profile.
/// </param>
/// <param name="AllowingSeccomp">The same for the profile that allows them (the host's default), for nodes whose lab asks.</param>
internal sealed record PodmanService(string SocketPath, string? RefusingSeccomp, string? AllowingSeccomp)
{
    /// <summary>kube play's name for the service's default profile (containers.conf <c>seccomp_profile</c>).</summary>
    public const string RuntimeDefault = "runtime/default";

    /// <summary>
    /// The pod's seccomp annotation. Always set: kube play gives a pod without any annotation Podman's built-in profile,
    /// not the one containers.conf names.
    /// </summary>
    public string SeccompFor(bool allowUserNamespaces) =>
        (allowUserNamespaces ? AllowingSeccomp : RefusingSeccomp) ?? RuntimeDefault;
}
