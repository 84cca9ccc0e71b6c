namespace LabOrchestrator.Engines;

/// <summary>One object an engine made (a pod, container, network, volume…) and its labels.</summary>
public sealed record EngineResource(string Kind, string Name, IReadOnlyDictionary<string, string> Labels);
