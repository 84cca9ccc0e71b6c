using LabOrchestrator.Server.Audit;
using LabOrchestrator.Server.Labs;

namespace LabOrchestrator.Server.Sessions;

/// <summary><c>GET/PUT /api/quotas</c> and <c>PUT/DELETE /api/quotas/users/{userId}</c>: admins read and change the quotas.</summary>
internal static class QuotaHandlers
{
    public static IResult Get(QuotaSettings quotas) => TypedResults.Ok(QuotaResponse.From(quotas));

    public static async Task<IResult> PutGlobalAsync(HttpContext context, QuotaSettings quotas, IAuditLog audit, CancellationToken cancellationToken)
    {
        var request = await SessionJsonBody.ReadAsync<QuotaRequest>(context.Request, cancellationToken);
        if (request.PerUser is null && request.Total is null)
        {
            throw new RequestProblemException(StatusCodes.Status400BadRequest, "Invalid request", "Send perUser, total or both, e.g. {\"perUser\": 3}.", "perUser");
        }

        Validate(request.PerUser, "perUser");
        Validate(request.Total, "total");
        await quotas.SetGlobalAsync(request.PerUser, request.Total, cancellationToken);
        await audit.RecordAsync(context, AuditActions.QuotaChanged, target: "*", details: $"perUser={quotas.PerUser} total={quotas.Total}", cancellationToken: CancellationToken.None);
        return TypedResults.Ok(QuotaResponse.From(quotas));
    }

    public static async Task<IResult> PutUserAsync(string userId, HttpContext context, QuotaSettings quotas, IAuditLog audit, CancellationToken cancellationToken)
    {
        var request = await SessionJsonBody.ReadAsync<QuotaRequest>(context.Request, cancellationToken);
        if (request.PerUser is null)
        {
            throw new RequestProblemException(StatusCodes.Status400BadRequest, "Invalid request", "Send this user's limit, e.g. {\"perUser\": 3}.", "perUser");
        }

        Validate(request.PerUser, "perUser");
        await quotas.SetUserAsync(userId, request.PerUser, cancellationToken);
        await audit.RecordAsync(context, AuditActions.QuotaChanged, target: userId, details: $"perUser={request.PerUser}", cancellationToken: CancellationToken.None);
        return TypedResults.Ok(QuotaResponse.From(quotas));
    }

    public static async Task<IResult> DeleteUserAsync(string userId, HttpContext context, QuotaSettings quotas, IAuditLog audit, CancellationToken cancellationToken)
    {
        await quotas.SetUserAsync(userId, null, cancellationToken);
        await audit.RecordAsync(context, AuditActions.QuotaChanged, target: userId, details: "perUser=default", cancellationToken: CancellationToken.None);
        return TypedResults.Ok(QuotaResponse.From(quotas));
    }

    private static void Validate(int? value, string field)
    {
        if (value is < 1 or > 10_000)
        {
            throw new RequestProblemException(StatusCodes.Status400BadRequest, "Invalid request", $"{field} must be a whole number from 1 to 10000.", field);
        }
    }
}

/// <summary>The body of <c>PUT /api/quotas</c> (either field) and <c>PUT /api/quotas/users/{userId}</c> (perUser).</summary>
internal sealed record QuotaRequest(int? PerUser, int? Total);

/// <summary>The quotas in force, what the configuration says, and every user's own limit.</summary>
internal sealed record QuotaResponse(int PerUser, int Total, int ConfiguredPerUser, int ConfiguredTotal, IReadOnlyList<UserQuotaResponse> Users)
{
    public static QuotaResponse From(QuotaSettings quotas) => new(
        quotas.PerUser, quotas.Total, quotas.Configured.PerUser, quotas.Configured.Total,
        quotas.Users.OrderBy(u => u.Key, StringComparer.Ordinal).Select(u => new UserQuotaResponse(u.Key, u.Value)).ToList());
}

internal sealed record UserQuotaResponse(string UserId, int PerUser);
