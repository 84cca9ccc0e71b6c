using LabOrchestrator.Engines;
using LabOrchestrator.Persistence;
using Microsoft.EntityFrameworkCore;

namespace LabOrchestrator.Server.Hosting;

internal static class HealthEndpoints
{
    /// <summary><c>/healthz</c>: the process answers. <c>/readyz</c>: the database and the engine answer too.</summary>
    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder app)
    {
        app.MapGet("/healthz", () => Results.Ok(new { status = "live" })).ExcludeFromDescription();
        app.MapGet("/readyz", async (IDbContextFactory<LabOrchestratorDbContext> contexts, ILabEngines engines, CancellationToken cancellationToken) =>
        {
            var checks = new Dictionary<string, string>();
            try
            {
                await using var db = await contexts.CreateDbContextAsync(cancellationToken);
                checks["database"] = await db.Database.CanConnectAsync(cancellationToken) ? "ok" : "unreachable";
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                checks["database"] = "unreachable";
            }

            foreach (var engine in engines.All)
            {
                // The default engine keeps the check's old name; others are named after themselves.
                var name = engine == engines.Default ? "engine" : $"engine:{engine.Name}";
                try
                {
                    await engine.ListAsync(new Dictionary<string, string> { [LabLabels.ManagedBy] = LabLabels.ManagedByValue }, cancellationToken);
                    checks[name] = "ok";
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    checks[name] = "unreachable";
                }
            }

            var ready = checks.Values.All(v => v == "ok");
            return Results.Json(new { status = ready ? "ready" : "not ready", checks }, statusCode: ready ? 200 : 503);
        }).ExcludeFromDescription();
        return app;
    }
}
