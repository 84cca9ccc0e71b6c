namespace LabOrchestrator.Server.Accounts;

/// <summary>Login, logout, the current user's profile, admin user management and personal API tokens, with the anti-forgery check for cookie requests.</summary>
internal static class AccountEndpoints
{
    public static IServiceCollection AddAccountEndpoints(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddAntiforgery(o =>
        {
            o.HeaderName = CsrfMiddleware.HeaderName;
            o.Cookie.Name = "labo.csrf";
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        });
        services.AddSingleton<LoginRateLimiter>();
        return services;
    }

    /// <summary>Adds the anti-forgery check; call after authentication so that it knows which requests carry the login cookie.</summary>
    public static WebApplication UseAccountEndpoints(this WebApplication app)
    {
        app.UseMiddleware<CsrfMiddleware>();
        return app;
    }

    public static RouteGroupBuilder MapAccountsApi(this RouteGroupBuilder api) =>
        api.MapAuthApi().MapMeApi().MapTokensApi().MapUsersApi();
}
