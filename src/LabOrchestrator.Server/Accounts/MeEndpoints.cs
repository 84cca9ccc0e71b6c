using System.Security.Claims;
using LabOrchestrator.Server.Audit;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace LabOrchestrator.Server.Accounts;

/// <summary>Every user's own profile and password: /api/me.</summary>
internal static class MeEndpoints
{
    public static RouteGroupBuilder MapMeApi(this RouteGroupBuilder api)
    {
        var me = api.MapGroup("/me").WithTags("me").RequireAuthorization(Policies.User);
        me.MapGet("/", GetMeAsync)
            .WithName("getMe").WithSummary("The logged-in user with their role.")
            .Produces<AccountUser>().ProducesProblem(StatusCodes.Status401Unauthorized);
        me.MapPatch("/", UpdateMeAsync)
            .WithName("updateMe").WithSummary("Changes the logged-in user's display name.")
            .Accepts<UpdateProfileRequest>("application/json")
            .Produces<AccountUser>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status401Unauthorized);
        me.MapPost("/password", ChangePasswordAsync)
            .WithName("changeMyPassword").WithSummary("Changes the logged-in user's password, given the current one. Ends every other login cookie, every access token and every API token of the user; the browser that asked stays logged in.")
            .Accepts<ChangePasswordRequest>("application/json")
            .Produces(StatusCodes.Status204NoContent).ProducesValidationProblem().ProducesProblem(StatusCodes.Status401Unauthorized);
        return api;
    }

    public static async Task<IResult> GetMeAsync(ClaimsPrincipal principal, IAccountService accounts, CancellationToken cancellationToken) =>
        await accounts.GetUserAsync(principal.GetUserId(), cancellationToken) is { } user ? TypedResults.Ok(user) : TypedResults.Unauthorized();

    private static async Task<IResult> UpdateMeAsync(HttpContext context, IAccountService accounts, IAuditLog audit, CancellationToken cancellationToken)
    {
        var body = await JsonBody.ReadAsync<UpdateProfileRequest>(context.Request, cancellationToken);
        // An empty display name is allowed (it clears the name), so only an absent one is missing.
        if (body.DisplayName is null)
        {
            return RequiredFields.Check(("displayName", null))!;
        }

        var id = context.User.GetUserId();
        var user = await accounts.UpdateUserAsync(id, new UserUpdate { DisplayName = body.DisplayName }, cancellationToken);
        await audit.RecordAsync(context, AuditActions.UserUpdated, target: id, details: "displayName", cancellationToken: cancellationToken);
        return TypedResults.Ok(user);
    }

    private static async Task<IResult> ChangePasswordAsync(HttpContext context, IAccountService accounts, IAuditLog audit, CancellationToken cancellationToken)
    {
        var body = await JsonBody.ReadAsync<ChangePasswordRequest>(context.Request, cancellationToken);
        if (RequiredFields.Check(("currentPassword", body.CurrentPassword), ("newPassword", body.NewPassword)) is { } missing)
        {
            return missing;
        }

        var id = context.User.GetUserId();
        await accounts.ChangePasswordAsync(id, body.CurrentPassword!, body.NewPassword!, cancellationToken);
        await audit.RecordAsync(context, AuditActions.PasswordChanged, target: id, cancellationToken: cancellationToken);
        if (context.User.Identity?.AuthenticationType == CookieAuthenticationDefaults.AuthenticationScheme
            && await accounts.GetSignInAsync(id, cancellationToken) is { } signIn)
        {
            // The new stamp ended this browser's cookie too; give it a new one, so that only the others are logged out.
            await context.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, signIn.User.ToPrincipal(CookieAuthenticationDefaults.AuthenticationScheme, signIn.Stamp));
        }

        return TypedResults.NoContent();
    }
}
