namespace LabOrchestrator.Podman;

/// <summary>The Podman service the engine talks to, and what its own configuration offers pods.</summary>
/// <param name="SocketPath">The API socket.</param>
/// <param name="UserNamespacesSeccomp">
/// The kube seccomp annotation value (<c>localhost/FILE</c>, relative to the service's working folder) of the profile
/// that allows user namespaces, for nodes whose lab asks; null when the service is not the engine's own.
/// </param>
internal sealed record PodmanService(string SocketPath, string? UserNamespacesSeccomp);
