using LabOrchestrator.Sessions;

namespace LabOrchestrator.Server.Observability;

/// <summary>How many sessions of a lab are in a state.</summary>
internal sealed record SessionCount(string Lab, SessionState State, long Count);
