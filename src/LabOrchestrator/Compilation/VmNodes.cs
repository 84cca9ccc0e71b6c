using System.Globalization;
using k8s.Models;
using LabOrchestrator.Labs;

namespace LabOrchestrator.Compilation;

/// <summary>What a <c>kind: vm</c> node needs besides its lab file, on every engine: the guest's size and footprint.</summary>
public static class VmNodes
{
    /// <summary>Guest memory when the lab file gives none: a VM needs a size, unlike a container.</summary>
    public const string DefaultMemory = "256Mi";

    /// <summary>What the hypervisor itself needs beside the guest's memory (translation cache, device models); measured: 236 MB for a 256 MiB guest under qemu.</summary>
    public static readonly ResourceQuantity HypervisorOverhead = new("256Mi");

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

    /// <summary>The memory running the guest takes: the guest's own plus the hypervisor's.</summary>
    public static ResourceQuantity FootprintMemory(ResourcesDefinition resources)
    {
        var bytes = new ResourceQuantity(Memory(resources)).ToDecimal() + HypervisorOverhead.ToDecimal();
        var mebibytes = (long)Math.Ceiling(bytes / (1024 * 1024));
        return new ResourceQuantity(mebibytes.ToString(CultureInfo.InvariantCulture) + "Mi");
    }

    /// <summary>
    /// The guest's footprint as a container's requests and limits: <see cref="FootprintMemory"/>, and as many CPUs as the
    /// guest has when the lab sets a CPU limit (a tighter limit would slow every vCPU down).
    /// </summary>
    public static V1ResourceRequirements Footprint(ResourcesDefinition resources)
    {
        var limits = new Dictionary<string, ResourceQuantity> { ["memory"] = FootprintMemory(resources) };
        if (resources.Cpu is not null)
        {
            limits["cpu"] = new ResourceQuantity(Cpus(resources).ToString(CultureInfo.InvariantCulture));
        }

        return new V1ResourceRequirements { Limits = limits, Requests = new Dictionary<string, ResourceQuantity>(limits) };
    }
}
