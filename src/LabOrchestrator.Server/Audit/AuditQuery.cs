namespace LabOrchestrator.Server.Audit;

/// <summary>Filters for reading the audit log, newest first.</summary>
public sealed record AuditQuery
{
    public string? UserId { get; init; }
    public string? SessionId { get; init; }
    public string? Action { get; init; }
    public int Limit { get; init; } = 100;
}
