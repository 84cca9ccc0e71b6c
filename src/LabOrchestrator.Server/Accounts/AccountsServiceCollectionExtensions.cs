using LabOrchestrator.Server.Accounts.Persistence;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;

namespace LabOrchestrator.Server.Accounts;

public static class AccountsServiceCollectionExtensions
{
    /// <summary>The scheme endpoints authenticate with: bearer API tokens when the request carries one, else the login cookie.</summary>
    public const string DefaultScheme = "cookie-or-bearer";

    public static IServiceCollection AddAccounts(this IServiceCollection services)
    {
        services.AddAccountsStore();
        services.AddSingleton<IPasswordHasher<AccountUser>, PasswordHasher<AccountUser>>();
        services.AddSingleton<IAccountService, AccountService>();
        services.AddSingleton<UserStatusCache>();
        services.AddSingleton<ApiTokenStatusCache>();
        services.AddSingleton<ISignInCheck, SignInCheck>();
        services.AddOptions<AuthOptions>().BindConfiguration(AuthOptions.SectionName)
            .Validate(o => o.LoginAttempts > 0, "Auth:LoginAttempts must be positive.")
            .Validate(o => o.LoginWindow > TimeSpan.Zero, "Auth:LoginWindow must be a positive time span such as 00:01:00.")
            .Validate(o => o.AddressLoginFailures > 0, "Auth:AddressLoginFailures must be positive.")
            .Validate(o => o.AddressLoginWindow > TimeSpan.Zero, "Auth:AddressLoginWindow must be a positive time span such as 00:15:00.")
            .Validate(o => o.UserCheckInterval >= TimeSpan.Zero && o.UserCheckInterval <= TimeSpan.FromMinutes(1), "Auth:UserCheckInterval must be between 00:00:00 and 00:01:00.")
            .Validate(o => string.IsNullOrEmpty(o.AdminPassword) || o.AdminPassword.Length is >= AccountService.MinimumPasswordLength and <= 256,
                $"Auth:AdminPassword needs {AccountService.MinimumPasswordLength} to 256 characters (or leave it empty for a random one).")
            .ValidateOnStart();
        services
            .AddAuthentication(DefaultScheme)
            .AddPolicyScheme(DefaultScheme, "Cookie or bearer token", o =>
                o.ForwardDefaultSelector = context =>
                    context.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
                        ? ApiTokenAuthenticationHandler.SchemeName
                        : CookieAuthenticationDefaults.AuthenticationScheme)
            .AddScheme<AuthenticationSchemeOptions, ApiTokenAuthenticationHandler>(ApiTokenAuthenticationHandler.SchemeName, null)
            .AddCookie(CookieAuthenticationDefaults.AuthenticationScheme, o =>
            {
                o.Cookie.Name = "labo.auth";
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Strict;
                o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                o.SlidingExpiration = true;
                o.ExpireTimeSpan = TimeSpan.FromHours(8);
                // An API answers 401/403; it never redirects to a login page.
                o.Events.OnRedirectToLogin = context => WriteStatusAsync(context.HttpContext, StatusCodes.Status401Unauthorized);
                o.Events.OnRedirectToAccessDenied = context => WriteStatusAsync(context.HttpContext, StatusCodes.Status403Forbidden);
                o.Events.OnValidatePrincipal = CookieValidation.ValidatePrincipalAsync;
            });
        services.AddAuthorizationBuilder()
            .AddPolicy(Policies.User, p => p.RequireAuthenticatedUser())
            .AddPolicy(Policies.Instructor, p => p.RequireRole(Roles.Admin, Roles.Instructor))
            .AddPolicy(Policies.Admin, p => p.RequireRole(Roles.Admin))
            .SetFallbackPolicy(null);
        return services;
    }

    /// <summary>A 401 or 403 with problem details that say what to do, rather than an empty answer.</summary>
    private static async Task WriteStatusAsync(HttpContext context, int status)
    {
        context.Response.StatusCode = status;
        var detail = status == StatusCodes.Status401Unauthorized
            ? "You are not logged in, or your login ended (logout, new password, disabled account, or the cookie is malformed); log in with POST /api/auth/login, or send a personal API token as 'Authorization: Bearer lot_…'."
            : "Your role does not allow this.";
        await context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = { Status = status, Title = status == StatusCodes.Status401Unauthorized ? "Unauthorized" : "Forbidden", Detail = detail },
        });
    }
}
