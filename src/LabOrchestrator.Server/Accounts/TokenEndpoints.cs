using System.Security.Claims;
using LabOrchestrator.Server.Audit;

namespace LabOrchestrator.Server.Accounts;

/// <summary>Personal API tokens of the logged-in user: /api/me/tokens.</summary>
internal static class TokenEndpoints
{
    public const int MaxExpiresInDays = 3650;

    public static RouteGroupBuilder MapTokensApi(this RouteGroupBuilder api)
    {
        var tokens = api.MapGroup("/me/tokens").WithTags("me").RequireAuthorization(Policies.User);
        tokens.MapGet("/", ListAsync)
            .WithName("listMyTokens").WithSummary("The logged-in user's personal API tokens (never their secrets).")
            .Produces<IReadOnlyList<ApiTokenInfo>>().ProducesProblem(StatusCodes.Status401Unauthorized);
        tokens.MapPost("/", CreateAsync)
            .WithName("createMyToken").WithSummary("Creates a personal API token; its secret is in this answer only. Use it as 'Authorization: Bearer lot_…'.")
            .Accepts<CreateTokenRequest>("application/json")
            .Produces<ApiTokenCreated>(StatusCodes.Status201Created).ProducesValidationProblem().ProducesProblem(StatusCodes.Status401Unauthorized);
        tokens.MapDelete("/{id}", RevokeAsync)
            .WithName("revokeMyToken").WithSummary("Revokes one of the logged-in user's tokens; it stops working at once.")
            .Produces(StatusCodes.Status204NoContent).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status401Unauthorized);
        return api;
    }

    private static async Task<IResult> ListAsync(ClaimsPrincipal user, IAccountService accounts, CancellationToken cancellationToken) =>
        TypedResults.Ok(await accounts.ListApiTokensAsync(user.GetUserId(), cancellationToken));

    private static async Task<IResult> CreateAsync(HttpContext context, IAccountService accounts, IAuditLog audit, TimeProvider time, CancellationToken cancellationToken)
    {
        var body = await JsonBody.ReadAsync<CreateTokenRequest>(context.Request, cancellationToken);
        if (RequiredFields.Check(("name", body.Name)) is { } missing)
        {
            return missing;
        }

        if (body.ExpiresInDays is < 1 or > MaxExpiresInDays)
        {
            throw new AccountException($"expiresInDays is 1 to {MaxExpiresInDays}; leave it out for a token that lives until revoked.", "expiresInDays");
        }

        var expiresAt = body.ExpiresInDays is { } days ? time.GetUtcNow().AddDays(days) : (DateTimeOffset?)null;
        var token = await accounts.CreateApiTokenAsync(context.User.GetUserId(), body.Name!, expiresAt, cancellationToken);
        await audit.RecordAsync(context, AuditActions.ApiTokenCreated, target: token.Id, details: token.Name, cancellationToken: cancellationToken);
        return TypedResults.Created($"/api/me/tokens/{token.Id}", token);
    }

    private static async Task<IResult> RevokeAsync(string id, HttpContext context, IAccountService accounts, IAuditLog audit, CancellationToken cancellationToken)
    {
        if (!await accounts.RevokeApiTokenAsync(context.User.GetUserId(), id, cancellationToken))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: $"You have no live API token '{id}'; GET /api/me/tokens lists them.");
        }

        await audit.RecordAsync(context, AuditActions.ApiTokenRevoked, target: id, cancellationToken: cancellationToken);
        return TypedResults.NoContent();
    }
}
