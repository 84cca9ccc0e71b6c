using System.Net;
using k8s.Models;
using LabOrchestrator.Compilation;
using LabOrchestrator.Engines;

namespace LabOrchestrator.Podman;

/// <summary>
/// What the Podman engine adds to a VM node's launcher pod: the configured launcher image, the session's image volume
/// holding the containerDisk (Podman 4.3's kube play has no image volumes, so the engine makes one and the pod mounts
/// it as a claim), and /dev/kvm when the host has it (the launcher falls back to software emulation when KVM fails).
/// </summary>
internal static class VmNodePods
{
    public const string KvmDevice = "/dev/kvm";
    private const string KvmVolume = "kvm";

    public static void Adapt(V1Pod pod, CompiledPlan plan, PlannedNode node, PodmanEngineOptions options)
    {
        var container = pod.Spec.Containers[0];
        container.Image = options.VmLauncherImage;
        foreach (var volume in pod.Spec.Volumes ?? [])
        {
            if (volume.PersistentVolumeClaim is { } claim && volume.Name == VmNodes.DiskVolume)
            {
                claim.ClaimName = PodmanNames.DiskVolume(plan.SessionId, node.Name);
            }
        }

        if (options.VmUseKvm && File.Exists(KvmDevice))
        {
            // kube play turns a CharDevice hostPath into a device of the container.
            pod.Spec.Volumes!.Add(new V1Volume { Name = KvmVolume, HostPath = new V1HostPathVolumeSource { Path = KvmDevice, Type = "CharDevice" } });
            container.VolumeMounts.Add(new V1VolumeMount { Name = KvmVolume, MountPath = KvmDevice });
        }
    }

    /// <summary>The session's image volume of a VM node's containerDisk, labelled with the session so delete-by-label removes it.</summary>
    public static async Task EnsureDiskVolumeAsync(PodmanApiClient api, CompiledPlan plan, PlannedNode node, CancellationToken cancellationToken)
    {
        var name = PodmanNames.DiskVolume(plan.SessionId, node.Name);
        if (await api.GetAsync($"volumes/{Uri.EscapeDataString(name)}/json", cancellationToken).ConfigureAwait(false) is not null)
        {
            return;
        }

        var image = node.DiskImage ?? throw new EngineException($"Node '{node.Name}' is a virtual machine without a disk image in the plan.");
        var labels = new Dictionary<string, string>(plan.Labels) { [LabLabels.Node] = node.Name };
        try
        {
            await api.PostJsonAsync("volumes/create", new Dictionary<string, object>
            {
                ["Name"] = name,
                ["Driver"] = "image",
                ["Options"] = new Dictionary<string, string> { ["image"] = image },
                ["Labels"] = labels,
            }, cancellationToken).ConfigureAwait(false);
        }
        catch (PodmanApiException e) when (e.StatusCode == HttpStatusCode.Conflict)
        {
            // A concurrent apply of the same session made it first.
        }
        catch (PodmanApiException e)
        {
            throw new EngineException($"the disk image '{image}' of node '{node.Name}' could not be mounted: {e.Message}", e);
        }
    }
}
