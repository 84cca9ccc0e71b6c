namespace LabOrchestrator.Compilation;

/// <summary>A lab network of the plan and the nodes on it.</summary>
public sealed record PlannedNetwork(string Name, IReadOnlyList<string> Nodes)
{
    /// <summary>
    /// For a lab network beyond the first (a Multus network on Kubernetes): its subnet, and each node's address in it
    /// (CIDR notation). Null and empty for the first network, which rides the pod network. The Podman engine picks its
    /// own subnets.
    /// </summary>
    public string? Subnet { get; init; }

    /// <inheritdoc cref="Subnet"/>
    public IReadOnlyDictionary<string, string> Addresses { get; init; } = new Dictionary<string, string>();
}
