namespace LabOrchestrator.Server.Gateway;

/// <summary>The gateway: WebSocket terminals of nodes. (In progress.)</summary>
internal static class GatewayEndpoints
{
    public static IServiceCollection AddGateway(this IServiceCollection services, IConfiguration configuration) => services;

    public static IEndpointRouteBuilder MapGateway(this IEndpointRouteBuilder app) => app;
}
