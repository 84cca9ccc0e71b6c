namespace LabOrchestrator.Server.Audit;

public interface IAuditLog
{
    /// <summary>Records an action of the request's user (or <paramref name="userId"/>), with the caller's address.</summary>
    Task RecordAsync(HttpContext? context, string action, string? userId = null, string? sessionId = null, string? target = null, string? details = null, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<AuditEntry>> ListAsync(AuditQuery query, CancellationToken cancellationToken = default);
}
