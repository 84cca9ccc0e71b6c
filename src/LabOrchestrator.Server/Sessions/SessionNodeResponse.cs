using LabOrchestrator.Engines;

namespace LabOrchestrator.Server.Sessions;

/// <summary>One node of a session and its state; the message says why it is not running when it is not.</summary>
internal sealed record SessionNodeResponse(string Name, NodeState State, string? Message);
