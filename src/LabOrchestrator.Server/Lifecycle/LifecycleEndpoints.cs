using LabOrchestrator.Server.Sessions;

namespace LabOrchestrator.Server.Lifecycle;

/// <summary>Pause, resume and extend a session, and tell the server the learner is still there.</summary>
internal static class LifecycleEndpoints
{
    public static IServiceCollection AddLifecycle(this IServiceCollection services)
    {
        services.AddOptions<LifecycleOptions>().BindConfiguration(LifecycleOptions.SectionName)
            .Validate(o => o.ReaperPeriod > TimeSpan.Zero, "Lifecycle:ReaperPeriod must be positive, e.g. 00:00:15.")
            .Validate(o => o.WarnBefore >= TimeSpan.Zero, "Lifecycle:WarnBefore must not be negative, e.g. 00:05:00.")
            .Validate(o => o.IdleWarnBefore >= TimeSpan.Zero, "Lifecycle:IdleWarnBefore must not be negative, e.g. 00:02:00.")
            .Validate(o => o.ActivityFlushInterval > TimeSpan.Zero, "Lifecycle:ActivityFlushInterval must be positive, e.g. 00:00:30.")
            .ValidateOnStart();
        services.AddSingleton<SessionActivity>();
        services.AddSingleton<SessionStopper>();
        services.AddHostedService<SessionReaper>();
        return services;
    }

    public static RouteGroupBuilder MapLifecycle(this RouteGroupBuilder sessions)
    {
        sessions.MapPost("/{id}/pause", LifecycleHandlers.PauseAsync)
            .WithName("PauseSession").WithSummary("Pause a session: every node frozen with its memory kept")
            .WithDescription("The time limit's clock stops while paused (the end moves on by the time paused); a paused session still counts against quotas and is stopped after the lab's limits.pausedFor. 409 when the session is not Running.")
            .Produces<SessionResponse>().ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status502BadGateway);
        sessions.MapPost("/{id}/resume", LifecycleHandlers.ResumeAsync)
            .WithName("ResumeSession").WithSummary("Resume a paused session where it stopped")
            .Produces<SessionResponse>().ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status502BadGateway);
        sessions.MapPost("/{id}/extend", LifecycleHandlers.ExtendAsync)
            .WithName("ExtendSession").WithSummary("Move the session's end by the lab's limits.extendBy")
            .WithDescription("At most limits.maxExtensions times; past that, or for a lab without a time limit, 409 with a code: no-extensions-left, no-time-limit, not-running.")
            .Produces<SessionResponse>().ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        sessions.MapPost("/{id}/activity", LifecycleHandlers.ActivityAsync)
            .WithName("SessionActivity").WithSummary("Tell the server the learner is still there (answers the idle warning)")
            .WithDescription("Counts as learner activity only when the session's owner calls it; 204.")
            .Produces(StatusCodes.Status204NoContent).ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound);
        return sessions;
    }
}
