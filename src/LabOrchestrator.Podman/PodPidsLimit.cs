using System.Globalization;

namespace LabOrchestrator.Podman;

/// <summary>
/// Caps how many processes one node's pod may have. Podman 4.3's kube play has no field for it and skips
/// containers.conf's <c>pids_limit</c> (it never completes the container spec with defaults), so the engine writes the
/// limit into the pod's cgroup, which every container of the pod (and each restart of one) lives under. Written between
/// creating the pod and starting it, so not even the node's own first command runs without it. Needs root.
/// </summary>
internal static class PodPidsLimit
{
    private static readonly string[] Roots = ["/sys/fs/cgroup/pids", "/sys/fs/cgroup"];

    public static async Task ApplyAsync(PodmanApiClient api, string pod, int limit, CancellationToken cancellationToken)
    {
        if (!RootfulPodman.IsRootful)
        {
            return;
        }

        var inspect = await api.GetAsync($"pods/{Uri.EscapeDataString(pod)}/json", cancellationToken).ConfigureAwait(false);
        var cgroup = inspect is { } json && json.TryGetProperty("CgroupPath", out var path) ? path.GetString() : null;
        if (string.IsNullOrEmpty(cgroup))
        {
            throw new Engines.EngineException($"Podman reports no cgroup for pod '{pod}', so its process limit cannot be set.");
        }

        // cgroup v1 has a pids hierarchy of its own; v2 one tree. The systemd manager gives a path relative to the root.
        var file = Roots.Select(root => Path.Combine(root, cgroup.TrimStart('/'), "pids.max")).FirstOrDefault(File.Exists)
            ?? throw new Engines.EngineException($"The cgroup of pod '{pod}' ({cgroup}) has no pids.max, so its process limit cannot be set.");
        await File.WriteAllTextAsync(file, limit.ToString(CultureInfo.InvariantCulture), cancellationToken).ConfigureAwait(false);
    }
}
