namespace LabOrchestrator.Server.Audit;

internal static class AuditEndpoints
{
    public static IServiceCollection AddAudit(this IServiceCollection services) => services.AddSingleton<IAuditLog, AuditLog>();

    /// <summary>GET /api/audit (admins). Filled in by the accounts work.</summary>
    public static RouteGroupBuilder MapAuditApi(this RouteGroupBuilder api) => api;
}
