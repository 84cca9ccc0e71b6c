using LabOrchestrator.Server.Accounts;

namespace LabOrchestrator.Server.Pools;

/// <summary>Warm pools: <c>GET /api/pools</c>, <c>GET|PUT /api/labs/{name}/pool</c> (see docs/lifecycle-pools.md).</summary>
internal static class PoolEndpoints
{
    public static IServiceCollection AddWarmPools(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<PoolOptions>().Bind(configuration.GetSection(PoolOptions.SectionName))
            .Validate(o => o.Capacity >= 0, "Pools:Capacity must be 0 (pools off) or more.")
            .Validate(o => o.MaxConcurrentStarts >= 1, "Pools:MaxConcurrentStarts must be at least 1.")
            .Validate(o => o.RefillPeriod > TimeSpan.Zero, "Pools:RefillPeriod must be longer than zero, e.g. 00:00:10.")
            .Validate(o => o.RetryBackoff > TimeSpan.Zero && o.MaxRetryBackoff >= o.RetryBackoff,
                "Pools:RetryBackoff must be longer than zero and at most Pools:MaxRetryBackoff.")
            .ValidateOnStart();
        services.AddSingleton<Sessions.SessionAdmission>();
        services.AddSingleton<WarmPools>();
        services.AddHostedService(provider => provider.GetRequiredService<WarmPools>());
        return services;
    }

    /// <summary>A lab created, changed, published, unpublished or deleted: its pool grows or shrinks now, not a period later.</summary>
    public static async ValueTask<object?> NudgeAfterLabChangeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var result = await next(context);
        context.HttpContext.RequestServices.GetRequiredService<WarmPools>().Nudge();
        return result;
    }

    public static RouteGroupBuilder MapPoolsApi(this RouteGroupBuilder api)
    {
        api.MapGet("/pools", async (WarmPools pools, CancellationToken cancellationToken) => TypedResults.Ok(await pools.StatusAsync(null, cancellationToken)))
            .WithTags("labs").RequireAuthorization(Policies.Instructor)
            .WithName("ListPools").WithSummary("Every lab's warm pool: size, ready and starting sessions, failures and back-off")
            .Produces<List<PoolStatus>>().ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status403Forbidden);
        api.MapGet("/labs/{name}/pool", PoolHandlers.GetAsync)
            .WithTags("labs").RequireAuthorization(Policies.Instructor)
            .WithName("GetLabPool").WithSummary("A lab's warm pool")
            .Produces<PoolStatus>().ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);
        api.MapPut("/labs/{name}/pool", PoolHandlers.PutAsync)
            .WithTags("labs").RequireAuthorization(Policies.Admin)
            .WithName("SetLabPool").WithSummary("Set (or with size null clear) an administrator's pool size for a lab")
            .WithDescription("Overrides the lab file's pool.size; the pool grows or shrinks in the background. Admins only.")
            .Accepts<SetPoolRequest>("application/json")
            .Produces<PoolStatus>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType).ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        return api;
    }
}
