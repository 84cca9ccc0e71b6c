using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace LabOrchestrator.Server.Accounts;

/// <summary>Re-checks the user behind a login cookie, so that disabling or deleting a user, or changing their role, takes effect at once.</summary>
internal static class CookieValidation
{
    public static async Task ValidatePrincipalAsync(CookieValidatePrincipalContext context)
    {
        var id = context.Principal?.FindFirstValue(ClaimTypes.NameIdentifier);
        var cache = context.HttpContext.RequestServices.GetRequiredService<UserStatusCache>();
        var user = id is null ? null : await cache.GetAsync(id, context.HttpContext.RequestAborted);
        if (user is null || user.Disabled)
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
            return;
        }

        if (!context.Principal!.IsInRole(user.Role) || context.Principal.FindFirstValue(ClaimTypes.Name) != (user.DisplayName ?? user.Id))
        {
            context.ReplacePrincipal(user.ToPrincipal(CookieAuthenticationDefaults.AuthenticationScheme));
            context.ShouldRenew = true;
        }
    }
}
