namespace LabOrchestrator.Server.Audit;

/// <summary>One line of the audit log: who did what to which session, when and from where.</summary>
public sealed record AuditEntry(
    long Id,
    DateTimeOffset At,
    string? UserId,
    string Action,
    string? SessionId,
    string? Target,
    string? RemoteAddress,
    string? Details);
