namespace LabOrchestrator.Server.Sessions;

/// <summary>The sessions REST API. (In progress.)</summary>
internal static class SessionsEndpoints
{
    public static IServiceCollection AddSessionsApi(this IServiceCollection services, IConfiguration configuration) => services;

    public static RouteGroupBuilder MapSessionsApi(this RouteGroupBuilder api) => api;
}
