using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace LabOrchestrator.Server.Accounts;

/// <summary>
/// Re-checks the user behind a login cookie on every request (from <see cref="UserStatusCache"/>): a deleted or disabled
/// user, or a cookie made before the user's security stamp changed (logout, password change or reset, demotion, a user
/// made again under a deleted user's id), is refused; a changed role or name is put into the cookie.
/// </summary>
internal static class CookieValidation
{
    public static async Task ValidatePrincipalAsync(CookieValidatePrincipalContext context)
    {
        var signIn = context.Principal?.GetSignIn();
        var cache = context.HttpContext.RequestServices.GetRequiredService<UserStatusCache>();
        var current = signIn is null ? null : await cache.GetAsync(signIn.UserId, context.HttpContext.RequestAborted);
        if (current is null || current.User.Disabled || !string.Equals(current.Stamp, signIn!.Stamp, StringComparison.Ordinal))
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
            return;
        }

        var user = current.User;
        if (!context.Principal!.IsInRole(user.Role) || context.Principal.FindFirstValue(ClaimTypes.Name) != (user.DisplayName ?? user.Id))
        {
            context.ReplacePrincipal(user.ToPrincipal(CookieAuthenticationDefaults.AuthenticationScheme, current.Stamp));
            context.ShouldRenew = true;
        }
    }
}
