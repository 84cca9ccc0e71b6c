using System.Security.Claims;

namespace LabOrchestrator.Server.Accounts;

public static class ClaimsPrincipalExtensions
{
    /// <summary>The id of the logged-in user; endpoints behind authorization always have one.</summary>
    public static string GetUserId(this ClaimsPrincipal user) =>
        user.FindFirstValue(ClaimTypes.NameIdentifier) ?? throw new InvalidOperationException("The request has no authenticated user.");

    public static bool IsInstructorOrAdmin(this ClaimsPrincipal user) => user.IsInRole(Roles.Admin) || user.IsInRole(Roles.Instructor);

    public static bool IsAdmin(this ClaimsPrincipal user) => user.IsInRole(Roles.Admin);

    /// <summary>Claims of a user, as both the cookie and bearer schemes issue them.</summary>
    public static ClaimsPrincipal ToPrincipal(this AccountUser user, string scheme) =>
        new(new ClaimsIdentity(
            [
                new Claim(ClaimTypes.NameIdentifier, user.Id),
                new Claim(ClaimTypes.Name, user.DisplayName ?? user.Id),
                new Claim(ClaimTypes.Role, user.Role),
            ],
            scheme));
}
