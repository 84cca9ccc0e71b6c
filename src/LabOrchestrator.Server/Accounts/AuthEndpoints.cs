using System.Globalization;
using LabOrchestrator.Server.Audit;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace LabOrchestrator.Server.Accounts;

/// <summary>Browser login with the <c>labo.auth</c> cookie: /api/auth/login, logout, me and csrf.</summary>
internal static class AuthEndpoints
{
    public static RouteGroupBuilder MapAuthApi(this RouteGroupBuilder api)
    {
        var auth = api.MapGroup("/auth").WithTags("auth");
        auth.MapPost("/login", LoginAsync).AllowAnonymous()
            .WithName("login").WithSummary("Logs in with user id and password, setting the login cookie; returns the user and an anti-forgery token.")
            .Accepts<LoginRequest>("application/json")
            .Produces<LoginResponse>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status429TooManyRequests);
        auth.MapPost("/logout", LogoutAsync).AllowAnonymous()
            .WithName("logout").WithSummary("Logs out everywhere: ends every login cookie of the user (in every browser) and every access token they made, and closes their gateway connections; API tokens stay. Needs X-CSRF-Token while logged in.")
            .Produces(StatusCodes.Status204NoContent).ProducesProblem(StatusCodes.Status400BadRequest);
        auth.MapGet("/me", MeEndpoints.GetMeAsync).RequireAuthorization(Policies.User)
            .WithName("getAuthMe").WithSummary("The logged-in user with their role.")
            .Produces<AccountUser>().ProducesProblem(StatusCodes.Status401Unauthorized);
        auth.MapGet("/csrf", Csrf).RequireAuthorization(Policies.User)
            .WithName("getCsrfToken").WithSummary("A fresh anti-forgery token for the logged-in browser, to send as X-CSRF-Token.")
            .Produces<CsrfTokenResponse>().ProducesProblem(StatusCodes.Status401Unauthorized);
        return api;
    }

    private static async Task<IResult> LoginAsync(
        HttpContext context, IAccountService accounts, IAuditLog audit, LoginRateLimiter limiter, IAntiforgery antiforgery, CancellationToken cancellationToken)
    {
        var body = await JsonBody.ReadAsync<LoginRequest>(context.Request, cancellationToken);
        if (RequiredFields.Check(("userId", body.UserId), ("password", body.Password)) is { } missing)
        {
            return missing;
        }

        if (limiter.TryAcquire(context, body.UserId!) is { } wait)
        {
            var seconds = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
            context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
            return TypedResults.Problem(
                statusCode: StatusCodes.Status429TooManyRequests,
                title: "Too many login attempts",
                detail: $"Too many login attempts from your address, or for this user from your address; try again in {seconds} seconds.");
        }

        var user = await accounts.VerifyPasswordAsync(body.UserId!, body.Password!, cancellationToken);
        var signIn = user is null ? null : await accounts.GetSignInAsync(user.Id, cancellationToken);
        if (signIn is null)
        {
            limiter.RecordFailure(context);
            var known = await accounts.GetUserAsync(body.UserId!, cancellationToken);
            await audit.RecordAsync(context, AuditActions.LoginFailed, userId: AuditUserIds.ForFailedLogin(body.UserId!, known?.Id), cancellationToken: cancellationToken);
            return TypedResults.Problem(
                statusCode: StatusCodes.Status401Unauthorized,
                title: "Login failed",
                detail: "The user id or password is wrong, or the account is disabled.");
        }

        // The cookie carries the user's security stamp: it stops working when the stamp changes (logout, new password, …).
        var principal = signIn.User.ToPrincipal(CookieAuthenticationDefaults.AuthenticationScheme, signIn.Stamp);
        await context.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, principal);

        // The anti-forgery token is bound to the user, so it must be made for the one just logged in.
        context.User = principal;
        await audit.RecordAsync(context, AuditActions.LoggedIn, userId: signIn.User.Id, cancellationToken: cancellationToken);
        return TypedResults.Ok(new LoginResponse(signIn.User, antiforgery.GetAndStoreTokens(context).RequestToken!, CsrfMiddleware.HeaderName));
    }

    private static async Task<IResult> LogoutAsync(HttpContext context, IAccountService accounts, IAuditLog audit, CancellationToken cancellationToken)
    {
        if (context.User.Identity is { IsAuthenticated: true, AuthenticationType: CookieAuthenticationDefaults.AuthenticationScheme })
        {
            // Removing the cookie from this browser is not enough: a copy made before (by malware, on a shared computer)
            // would still work. A new stamp ends every copy, in every browser, and every access token made with them.
            await accounts.RevokeSignInsAsync(context.User.GetUserId(), cancellationToken);
            await audit.RecordAsync(context, AuditActions.LoggedOut, cancellationToken: cancellationToken);
        }

        await context.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        return TypedResults.NoContent();
    }

    private static IResult Csrf(HttpContext context, IAntiforgery antiforgery) =>
        TypedResults.Ok(new CsrfTokenResponse(antiforgery.GetAndStoreTokens(context).RequestToken!, CsrfMiddleware.HeaderName));
}
