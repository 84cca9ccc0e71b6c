using System.Globalization;
using System.Net;
using k8s.Models;
using LabOrchestrator.Compilation;
using LabOrchestrator.Engines;

namespace LabOrchestrator.Podman;

/// <summary>
/// The Podman engine's form of a VM node: the planned (engine-neutral) pod becomes a launcher pod. The launcher image
/// boots the node's containerDisk with qemu, mounted read-only at /disk from the session's image volume (Podman 4.3's
/// kube play has no image volumes, so the engine makes one and the pod mounts it as a claim), takes over the pod's
/// addresses for the guest, and sizes the guest from the plan; /dev/kvm is added when the host has it (the launcher
/// falls back to software emulation when KVM fails). On Kubernetes the plan's VirtualMachine replaces all of this.
/// </summary>
internal static class VmNodePods
{
    /// <summary>The launcher image a VM node's pod runs unless the engine is configured otherwise.</summary>
    public const string DefaultLauncherImage = "localhost/vm-launcher:latest";

    /// <summary>The pod volume (and mount at /disk) holding the containerDisk.</summary>
    public const string DiskVolume = "disk";

    public const string DiskMountPath = "/disk";

    public const string KvmDevice = "/dev/kvm";
    private const string KvmVolume = "kvm";

    public static void Adapt(V1Pod pod, CompiledPlan plan, PlannedNode node, PodmanEngineOptions options)
    {
        var container = pod.Spec.Containers[0];
        container.Image = options.VmLauncherImage;
        container.Command = null;
        container.Args = null;
        // The launcher logs the guest's console; a TTY would only add carriage returns to the log.
        container.Stdin = false;
        container.Tty = false;
        container.Env.Add(new V1EnvVar { Name = "LAB_VM_MEMORY", Value = node.VmMemory ?? VmNodes.DefaultMemory });
        container.Env.Add(new V1EnvVar { Name = "LAB_VM_CPUS", Value = Math.Max(1, node.VmCpus).ToString(CultureInfo.InvariantCulture) });
        // Bridge, tap and the pod's addresses move to the guest; this acts on the pod's own network namespace only.
        // MKNOD: the launcher makes /dev/net/tun when the runtime does not provide it (runc allows that device).
        // NET_RAW: its DHCP server answers the guest, which has no address yet, with raw packets. The guest is a whole
        // kernel the learner controls, which sends any frame it likes onto the bridge anyway.
        container.SecurityContext = NodeSecurity.Container(["NET_ADMIN", "NET_RAW", "MKNOD"], allowUserNamespaces: false);
        // The pod's resources are the plan's: the guest's footprint (guest memory plus qemu's, whole vCPUs).
        container.VolumeMounts = [new V1VolumeMount { Name = DiskVolume, MountPath = DiskMountPath, ReadOnlyProperty = true }];
        pod.Spec.Volumes =
        [
            new V1Volume
            {
                Name = DiskVolume,
                PersistentVolumeClaim = new V1PersistentVolumeClaimVolumeSource { ClaimName = PodmanNames.DiskVolume(plan.SessionId, node.Name) },
            },
        ];

        if (options.VmUseKvm && File.Exists(KvmDevice))
        {
            // kube play turns a CharDevice hostPath into a device of the container.
            pod.Spec.Volumes.Add(new V1Volume { Name = KvmVolume, HostPath = new V1HostPathVolumeSource { Path = KvmDevice, Type = "CharDevice" } });
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
