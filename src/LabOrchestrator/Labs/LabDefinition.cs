namespace LabOrchestrator.Labs;

/// <summary>A lab as its author wrote it: the machines, the networks between them, the guide and the limits.</summary>
public sealed record LabDefinition
{
    public required string Name { get; init; }
    public string? Title { get; init; }
    public string? Description { get; init; }
    public IReadOnlyList<string> Tags { get; init; } = [];
    public required IReadOnlyList<NodeDefinition> Nodes { get; init; }
    public IReadOnlyList<NetworkDefinition> Networks { get; init; } = [];
    /// <summary>Folder of the guide, relative to the lab file.</summary>
    public string? Guide { get; init; }
    public LimitsDefinition Limits { get; init; } = new();
    /// <summary>Where nodes may connect beyond the lab's networks; <see cref="EgressPolicy.None"/> unless the lab asks.</summary>
    public EgressPolicy Egress { get; init; } = EgressPolicy.None;
    /// <summary>Sessions kept started in advance; null when the lab asks for none (an administrator may still set a size).</summary>
    public PoolDefinition? Pool { get; init; }

    public NodeDefinition? FindNode(string name) => Nodes.FirstOrDefault(n => n.Name == name);
}
