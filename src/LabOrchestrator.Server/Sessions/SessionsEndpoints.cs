using LabOrchestrator.Server.Accounts;
using LabOrchestrator.Server.Lifecycle;

namespace LabOrchestrator.Server.Sessions;

/// <summary>The sessions REST API under <c>/api/sessions</c>: start (in the background), get, list, stop, follow events.</summary>
internal static class SessionsEndpoints
{
    public const string Tag = "sessions";

    /// <summary>Services of the sessions API, and of the labs API, which LabServer has no separate hook for.</summary>
    public static IServiceCollection AddSessionsApi(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<QuotaOptions>().Bind(configuration.GetSection(QuotaOptions.SectionName))
            .Validate(o => o.PerUser >= 1, "Quotas:PerUser must be at least 1.")
            .Validate(o => o.Total >= 1, "Quotas:Total must be at least 1.")
            .ValidateOnStart();
        services.AddSingleton<QuotaSettings>();
        services.AddSingleton<SessionLifetimes>();
        services.AddSingleton<SessionEventHub>();
        services.AddSingleton<SessionRunner>();
        services.AddHostedService(provider => provider.GetRequiredService<SessionRunner>());
        services.AddSingleton<SessionStarter>();
        services.AddLifecycle();
        services.AddSingleton<ReconcilerService>();
        services.AddHostedService(provider => provider.GetRequiredService<ReconcilerService>());
        Pools.PoolEndpoints.AddWarmPools(services, configuration);
        return services;
    }

    public static RouteGroupBuilder MapSessionsApi(this RouteGroupBuilder api)
    {
        var sessions = api.MapGroup("/sessions").WithTags(Tag).RequireAuthorization(Policies.User)
            .ProducesProblem(StatusCodes.Status401Unauthorized);

        sessions.MapPost("", SessionHandlers.StartAsync)
            .WithName("StartSession").WithSummary("Start a session of a lab")
            .WithDescription("Returns 202 with the Pending session at once; the start runs in the background. Follow it with GET /api/sessions/{id}/events or by polling.")
            .Accepts<StartSessionRequest>("application/json")
            .Produces<SessionResponse>(StatusCodes.Status202Accepted)
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType).ProducesProblem(StatusCodes.Status429TooManyRequests);
        sessions.MapGet("", SessionHandlers.ListAsync)
            .WithName("ListSessions").WithSummary("List sessions")
            .WithDescription("Learners get their own sessions; instructors and admins get everyone's. Filters: lab, user (instructors and admins), state.")
            .Produces<List<SessionResponse>>().ProducesValidationProblem();
        sessions.MapGet("/{id}", SessionHandlers.GetAsync)
            .WithName("GetSession").WithSummary("Get a session: state, nodes, credentials, time left")
            .Produces<SessionResponse>().ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound);
        sessions.MapGet("/{id}/events", SessionEventsHandler.StreamAsync)
            .WithName("FollowSession").WithSummary("Follow a session's progress as Server-Sent Events")
            .WithDescription("One 'session' event with the whole session on every change, and 'warning' events before the server stops it (time limit, idle, paused too long); the stream stays open while the session lives and ends when it is Stopped or Failed.")
            .Produces<SessionResponse>(StatusCodes.Status200OK, "text/event-stream")
            .ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound);
        sessions.MapDelete("/{id}", SessionHandlers.StopAsync)
            .WithName("StopSession").WithSummary("Stop a session and remove everything it runs")
            .Produces<SessionResponse>().ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound);
        sessions.MapPost("/{id}/stop", SessionHandlers.StopAsync)
            .WithName("StopSessionByPost").WithSummary("Stop a session (same as DELETE /api/sessions/{id})")
            .Produces<SessionResponse>().ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound);
        sessions.MapLifecycle();

        var quotas = api.MapGroup("/quotas").WithTags("quotas").RequireAuthorization(Policies.Admin)
            .ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status403Forbidden);
        quotas.MapGet("", QuotaHandlers.Get)
            .WithName("GetQuotas").WithSummary("The session quotas in force, the configured ones and per-user limits (admins)")
            .Produces<QuotaResponse>();
        quotas.MapPut("", QuotaHandlers.PutGlobalAsync)
            .WithName("SetQuotas").WithSummary("Set the per-user and/or total session quota (admins; audited)")
            .Accepts<QuotaRequest>("application/json").Produces<QuotaResponse>().ProducesValidationProblem();
        quotas.MapPut("/users/{userId}", QuotaHandlers.PutUserAsync)
            .WithName("SetUserQuota").WithSummary("Set one user's session quota (admins; audited)")
            .Accepts<QuotaRequest>("application/json").Produces<QuotaResponse>().ProducesValidationProblem();
        quotas.MapDelete("/users/{userId}", QuotaHandlers.DeleteUserAsync)
            .WithName("ClearUserQuota").WithSummary("Put one user back on the global per-user quota (admins; audited)")
            .Produces<QuotaResponse>();
        return api;
    }
}
