using System.Security.Claims;

namespace LabOrchestrator.Server.Accounts;

public static class ClaimsPrincipalExtensions
{
    /// <summary>The security stamp the cookie or bearer token was accepted with.</summary>
    public const string StampClaim = "labo:stamp";

    /// <summary>The id of the personal API token a bearer request came with.</summary>
    public const string ApiTokenClaim = "labo:token";

    /// <summary>The id of the logged-in user; endpoints behind authorization always have one.</summary>
    public static string GetUserId(this ClaimsPrincipal user) =>
        user.FindFirstValue(ClaimTypes.NameIdentifier) ?? throw new InvalidOperationException("The request has no authenticated user.");

    /// <summary>The credential of an authenticated request (user, stamp, API token), or null without one.</summary>
    public static SignIn? GetSignIn(this ClaimsPrincipal user) =>
        user.FindFirstValue(ClaimTypes.NameIdentifier) is { } id && user.FindFirstValue(StampClaim) is { } stamp
            ? new SignIn(id, stamp, user.FindFirstValue(ApiTokenClaim))
            : null;

    public static bool IsInstructorOrAdmin(this ClaimsPrincipal user) => user.IsInRole(Roles.Admin) || user.IsInRole(Roles.Instructor);

    public static bool IsAdmin(this ClaimsPrincipal user) => user.IsInRole(Roles.Admin);

    /// <summary>Claims of a user, as both the cookie and bearer schemes issue them, with the stamp they rest on.</summary>
    public static ClaimsPrincipal ToPrincipal(this AccountUser user, string scheme, string stamp, string? apiTokenId = null)
    {
        List<Claim> claims =
        [
            new Claim(ClaimTypes.NameIdentifier, user.Id),
            new Claim(ClaimTypes.Name, user.DisplayName ?? user.Id),
            new Claim(ClaimTypes.Role, user.Role),
            new Claim(StampClaim, stamp),
        ];
        if (apiTokenId is not null)
        {
            claims.Add(new Claim(ApiTokenClaim, apiTokenId));
        }

        return new ClaimsPrincipal(new ClaimsIdentity(claims, scheme));
    }
}
