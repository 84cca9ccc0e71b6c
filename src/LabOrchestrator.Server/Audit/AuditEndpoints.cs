using LabOrchestrator.Server.Accounts;
using LabOrchestrator.Server.Accounts.Persistence;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace LabOrchestrator.Server.Audit;

internal static class AuditEndpoints
{
    public const int MaxLimit = 1000;

    /// <summary>The audit log (<see cref="IAuditLog"/>) and the accounts store it is kept in.</summary>
    public static IServiceCollection AddAudit(this IServiceCollection services)
    {
        services.AddAccountsStore();
        services.TryAddSingleton<IAuditLog, AuditLog>();
        return services;
    }

    /// <summary>GET /api/audit (admins).</summary>
    public static RouteGroupBuilder MapAuditApi(this RouteGroupBuilder api)
    {
        api.MapGet("/audit", ListAsync).RequireAuthorization(Policies.Admin).WithTags("audit")
            .WithName("listAudit").WithSummary("The audit log, newest first, filtered by user, session and action; limit 1 to 1000 (default 100).")
            .Produces<IReadOnlyList<AuditEntry>>().ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status403Forbidden);
        return api;
    }

    private static async Task<IResult> ListAsync(IAuditLog audit, string? user, string? session, string? action, int? limit, CancellationToken cancellationToken)
    {
        if (limit is < 1 or > MaxLimit)
        {
            return TypedResults.ValidationProblem(
                new Dictionary<string, string[]> { ["limit"] = [$"limit is 1 to {MaxLimit}."] }, title: "Invalid request", detail: $"limit is 1 to {MaxLimit}.");
        }

        var query = new AuditQuery { UserId = Empty(user), SessionId = Empty(session), Action = Empty(action), Limit = limit ?? new AuditQuery().Limit };
        return TypedResults.Ok(await audit.ListAsync(query, cancellationToken));
    }

    private static string? Empty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
