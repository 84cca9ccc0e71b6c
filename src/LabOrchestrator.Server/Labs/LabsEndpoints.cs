namespace LabOrchestrator.Server.Labs;

/// <summary>The labs REST API. (In progress.)</summary>
internal static class LabsEndpoints
{
    public static RouteGroupBuilder MapLabsApi(this RouteGroupBuilder api) => api;
}
