namespace LabOrchestrator.Engines;

/// <summary>The state of one node of a session as its engine sees it.</summary>
public sealed record NodeStatus(string Node, NodeState State, string? Message = null);
