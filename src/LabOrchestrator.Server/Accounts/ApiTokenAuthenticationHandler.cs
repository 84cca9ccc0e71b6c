using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace LabOrchestrator.Server.Accounts;

/// <summary>Authenticates <c>Authorization: Bearer lot_…</c> personal API tokens, for scripts and other programs.</summary>
internal sealed class ApiTokenAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    IAccountService accounts) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "Bearer";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return AuthenticateResult.NoResult();
        }

        var secret = header["Bearer ".Length..].Trim();
        if (!secret.StartsWith(AccountService.TokenPrefix, StringComparison.Ordinal))
        {
            return AuthenticateResult.Fail($"A bearer token here is a personal API token starting with '{AccountService.TokenPrefix}' (access tokens, 'lat_…', go in ?access_token= on gateway URLs).");
        }

        var signIn = await accounts.ValidateApiTokenAsync(secret, Context.RequestAborted);
        if (signIn is null)
        {
            return AuthenticateResult.Fail("The API token is unknown, revoked or expired, or its user is disabled; make a new one with POST /api/me/tokens.");
        }

        // The token's expiry travels with the ticket, so that access tokens it makes are capped at it.
        var properties = new AuthenticationProperties { ExpiresUtc = signIn.ExpiresAt };
        return AuthenticateResult.Success(new AuthenticationTicket(signIn.User.ToPrincipal(SchemeName, signIn.Stamp, signIn.TokenId), properties, SchemeName));
    }

    /// <summary>A 401 that says what is wrong with the token (problem details), instead of an empty answer.</summary>
    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var result = await HandleAuthenticateOnceSafeAsync();
        var detail = result.Failure?.Message ?? "Send a personal API token as 'Authorization: Bearer lot_…', or log in.";
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = result.Failure is null ? "Bearer" : "Bearer error=\"invalid_token\"";
        var problems = Context.RequestServices.GetRequiredService<IProblemDetailsService>();
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = Context,
            ProblemDetails = { Status = StatusCodes.Status401Unauthorized, Title = "Unauthorized", Detail = detail },
        });
    }
}
