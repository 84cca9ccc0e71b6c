namespace LabOrchestrator.Labs;

/// <summary>A lab's warm pool: how many sessions to keep started in advance, so that Start only claims one.</summary>
public sealed record PoolDefinition
{
    /// <summary>The most sessions one lab's pool may ask for; the server's <c>Pools:Capacity</c> bounds all pools together.</summary>
    public const int MaxSize = 100;

    public int Size { get; init; }
}
