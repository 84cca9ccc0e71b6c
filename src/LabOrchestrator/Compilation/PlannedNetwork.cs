namespace LabOrchestrator.Compilation;

/// <summary>A lab network of the plan and the nodes on it.</summary>
public sealed record PlannedNetwork(string Name, IReadOnlyList<string> Nodes);
