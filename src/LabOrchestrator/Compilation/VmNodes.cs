using System.Globalization;
using k8s.Models;
using LabOrchestrator.Labs;

namespace LabOrchestrator.Compilation;

/// <summary>What a <c>kind: vm</c> node needs besides its lab file: sizes, and the launcher pod's fixed parts.</summary>
public static class VmNodes
{
    /// <summary>The launcher image a VM node's pod runs unless the engine is configured otherwise.</summary>
    public const string DefaultLauncherImage = "localhost/vm-launcher:latest";

    /// <summary>Guest memory when the lab file gives none: a VM needs a size, unlike a container.</summary>
    public const string DefaultMemory = "256Mi";

    /// <summary>The pod volume (and mount at /disk) holding the containerDisk.</summary>
    public const string DiskVolume = "disk";

    public const string DiskMountPath = "/disk";

    /// <summary>What qemu itself needs beside the guest's memory (translation cache, device models); measured: 236 MB for a 256 MiB guest.</summary>
    public static readonly ResourceQuantity LauncherOverhead = new("256Mi");

    /// <summary>The claim the launcher pod mounts at /disk; the Podman engine makes an image volume of that name per session.</summary>
    public static string DiskClaim(string node) => $"{node}-disk";

    public static string Memory(ResourcesDefinition resources) => resources.Memory ?? DefaultMemory;

    /// <summary>Whole virtual CPUs: a quantity rounded up, at least one (500m → 1, 1.5 → 2).</summary>
    public static int Cpus(ResourcesDefinition resources)
    {
        if (resources.Cpu is null)
        {
            return 1;
        }

        var cores = new ResourceQuantity(resources.Cpu).ToDecimal();
        return Math.Max(1, (int)Math.Ceiling(cores));
    }

    /// <summary>The launcher pod's limit: the guest's memory plus qemu's own.</summary>
    public static ResourceQuantity LauncherMemory(ResourcesDefinition resources)
    {
        var bytes = new ResourceQuantity(Memory(resources)).ToDecimal() + LauncherOverhead.ToDecimal();
        var mebibytes = (long)Math.Ceiling(bytes / (1024 * 1024));
        return new ResourceQuantity(mebibytes.ToString(CultureInfo.InvariantCulture) + "Mi");
    }
}
