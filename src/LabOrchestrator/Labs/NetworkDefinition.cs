namespace LabOrchestrator.Labs;

/// <summary>A network segment: nodes on it reach each other by node name.</summary>
public sealed record NetworkDefinition(string Name);
