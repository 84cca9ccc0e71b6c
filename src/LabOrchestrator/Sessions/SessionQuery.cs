namespace LabOrchestrator.Sessions;

/// <summary>Filters for listing sessions; null means any.</summary>
public sealed record SessionQuery
{
    public string? UserId { get; init; }
    public string? LabName { get; init; }
    public SessionState? State { get; init; }
    /// <summary>Leave out stopped sessions.</summary>
    public bool ActiveOnly { get; init; }
}
