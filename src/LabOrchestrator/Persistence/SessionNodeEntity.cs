using LabOrchestrator.Engines;

namespace LabOrchestrator.Persistence;

internal sealed class SessionNodeEntity
{
    public required string SessionId { get; set; }
    public required string Name { get; set; }
    /// <summary>Position of the node in the lab file, so nodes are always listed as the author wrote them.</summary>
    public int Ordinal { get; set; }
    public NodeState State { get; set; }
    public string? Message { get; set; }
}
