using k8s.Models;
using LabOrchestrator.Labs;

namespace LabOrchestrator.Compilation;

/// <summary>
/// Makes a VM node's pod the launcher pod: the launcher image boots the node's containerDisk (mounted read-only at
/// /disk from the claim <see cref="VmNodes.DiskClaim"/>) with qemu, takes over the pod's addresses for the guest, and
/// sizes the guest from the lab file. This is what the Podman engine plays; on Kubernetes the VirtualMachine replaces it.
/// </summary>
internal static class VmLauncherPod
{
    public static V1Pod Adapt(V1Pod pod, NodeDefinition node)
    {
        var container = pod.Spec.Containers[0];
        container.Image = VmNodes.DefaultLauncherImage;
        container.Command = null;
        container.Args = null;
        // The launcher logs the guest's console; a TTY would only add carriage returns to the log.
        container.Stdin = false;
        container.Tty = false;
        container.Env.Add(new V1EnvVar { Name = "LAB_VM_MEMORY", Value = VmNodes.Memory(node.Resources) });
        container.Env.Add(new V1EnvVar { Name = "LAB_VM_CPUS", Value = VmNodes.Cpus(node.Resources).ToString(System.Globalization.CultureInfo.InvariantCulture) });
        // Bridge, tap and the pod's addresses move to the guest; this acts on the pod's own network namespace only.
        // MKNOD: the launcher makes /dev/net/tun when the runtime does not provide it (runc allows that device).
        // NET_RAW: its DHCP server answers the guest, which has no address yet, with raw packets. The guest is a whole
        // kernel the learner controls, which sends any frame it likes onto the bridge anyway.
        container.SecurityContext = NodeSecurity.Container(["NET_ADMIN", "NET_RAW", "MKNOD"], allowUserNamespaces: false);
        var limits = new Dictionary<string, ResourceQuantity> { ["memory"] = VmNodes.LauncherMemory(node.Resources) };
        if (node.Resources.Cpu is not null)
        {
            // As many CPUs as the guest has: a tighter limit would slow every vCPU down.
            limits["cpu"] = new ResourceQuantity(VmNodes.Cpus(node.Resources).ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        container.Resources = new V1ResourceRequirements { Limits = limits, Requests = new Dictionary<string, ResourceQuantity>(limits) };
        container.VolumeMounts = [new V1VolumeMount { Name = VmNodes.DiskVolume, MountPath = VmNodes.DiskMountPath, ReadOnlyProperty = true }];
        pod.Spec.Volumes =
        [
            new V1Volume
            {
                Name = VmNodes.DiskVolume,
                PersistentVolumeClaim = new V1PersistentVolumeClaimVolumeSource { ClaimName = VmNodes.DiskClaim(node.Name) },
            },
        ];
        return pod;
    }
}
