namespace LabOrchestrator.Server.Accounts;

/// <summary>Login, logout, the current user's profile, admin user management and personal API tokens. (In progress.)</summary>
internal static class AccountEndpoints
{
    public static IServiceCollection AddAccountEndpoints(this IServiceCollection services, IConfiguration configuration) => services;

    public static WebApplication UseAccountEndpoints(this WebApplication app) => app;

    public static RouteGroupBuilder MapAccountsApi(this RouteGroupBuilder api) => api;
}
