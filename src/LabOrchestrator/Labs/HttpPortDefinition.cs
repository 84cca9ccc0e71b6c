namespace LabOrchestrator.Labs;

/// <summary>A named web port of a node that the learner may open in the browser.</summary>
public sealed record HttpPortDefinition(string Name, int Port);
