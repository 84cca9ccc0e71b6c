using LabOrchestrator.Engines;

namespace LabOrchestrator.Persistence;

internal sealed class SessionNodeEntity
{
    public required string SessionId { get; set; }
    public required string Name { get; set; }
    public NodeState State { get; set; }
    public string? Message { get; set; }
}
