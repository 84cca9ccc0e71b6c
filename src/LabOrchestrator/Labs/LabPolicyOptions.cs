namespace LabOrchestrator.Labs;

/// <summary>
/// Ceilings an administrator sets on what lab files may ask for, bound from the "Labs" configuration section
/// (<c>Labs:MaxNodeCpu</c>, <c>Labs:MaxNodeMemory</c>, <c>Labs:MaxNodesPerLab</c>, <c>Labs:AllowedRegistries</c>).
/// A lab above a ceiling is refused at upload and import with the field path and the ceiling.
/// </summary>
public sealed record LabPolicyOptions
{
    public const string SectionName = "Labs";

    /// <summary>Registries the example labs use: images built on this machine and Docker Hub.</summary>
    public static readonly IReadOnlyList<string> DefaultRegistries = ["localhost", "docker.io"];

    /// <summary>Most CPU one node may ask for, as a Kubernetes quantity.</summary>
    public string MaxNodeCpu { get; set; } = "4";

    /// <summary>Most memory one node may ask for, as a Kubernetes quantity.</summary>
    public string MaxNodeMemory { get; set; } = "8Gi";

    /// <summary>Most nodes one lab may have.</summary>
    public int MaxNodesPerLab { get; set; } = 20;

    /// <summary>
    /// Registry hosts images may come from (<c>localhost</c>, <c>docker.io</c>, <c>registry.example.org:5000</c>);
    /// an image without a registry is a Docker Hub image. Null means <see cref="DefaultRegistries"/>; the binder
    /// would add configured entries to a non-empty default list instead of replacing it.
    /// </summary>
    public string[]? AllowedRegistries { get; set; }

    public IReadOnlyList<string> Registries => AllowedRegistries ?? DefaultRegistries;
}
