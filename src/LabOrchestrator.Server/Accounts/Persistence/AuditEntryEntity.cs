namespace LabOrchestrator.Server.Accounts.Persistence;

/// <summary>Who did what to which session, when and from where.</summary>
internal sealed class AuditEntryEntity
{
    public long Id { get; set; }
    public DateTimeOffset At { get; set; }
    public string? UserId { get; set; }
    public required string Action { get; set; }
    public string? SessionId { get; set; }
    public string? Target { get; set; }
    public string? RemoteAddress { get; set; }
    public string? Details { get; set; }
}
