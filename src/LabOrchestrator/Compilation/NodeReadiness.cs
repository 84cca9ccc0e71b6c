using k8s.Models;

namespace LabOrchestrator.Compilation;

/// <summary>
/// When a node counts as Running: its container runs and the image's readiness command passes. Images that set a node
/// up after start (credentials' passwords, a desktop, a VM's guest agent) ship <see cref="ImageCommand"/>, which exits 0
/// once that is done (see images/lab-base/lab-ready.sh); images without it are ready as soon as they run.
/// Every engine asks the same <see cref="Command"/>: Podman by exec, Kubernetes as the container's readinessProbe.
/// </summary>
public static class NodeReadiness
{
    public const string ImageCommand = "/usr/local/bin/lab-ready";

    /// <summary>Runs the image's readiness command when it has one; passes when it has none.</summary>
    public static IReadOnlyList<string> Command { get; } =
        ["/bin/sh", "-c", $"[ ! -x {ImageCommand} ] || exec {ImageCommand}"];

    internal static V1Probe Probe() => new()
    {
        Exec = new V1ExecAction { Command = [.. Command] },
        PeriodSeconds = 1,
        TimeoutSeconds = 5,
        FailureThreshold = 1,
    };
}
