namespace LabOrchestrator.Server.Pools;

/// <summary>An administrator's pool size for a lab; null (or omitted) goes back to the lab file's <c>pool.size</c>.</summary>
internal sealed record SetPoolRequest
{
    public int? Size { get; init; }
}
