namespace LabOrchestrator.Labs;

/// <summary>Resource limits in Kubernetes quantity notation ("500m", "1", "256Mi").</summary>
public sealed record ResourcesDefinition
{
    public string? Cpu { get; init; }
    public string? Memory { get; init; }
}
