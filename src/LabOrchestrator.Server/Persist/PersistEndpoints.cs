using LabOrchestrator.Server.Accounts;
using LabOrchestrator.Server.Sessions;

namespace LabOrchestrator.Server.Persist;

/// <summary>Reset (<c>/api/sessions/{id}/reset</c>), save and continue (<c>/api/saved-sessions</c>), stored data (<c>/api/storage</c>).</summary>
internal static class PersistEndpoints
{
    public static IServiceCollection AddPersistApi(this IServiceCollection services)
    {
        services.AddSingleton<ResetGate>();
        return services;
    }

    public static RouteGroupBuilder MapPersistApi(this RouteGroupBuilder api)
    {
        var sessions = api.MapGroup("/sessions").WithTags(SessionsEndpoints.Tag).RequireAuthorization(Policies.User)
            .ProducesProblem(StatusCodes.Status401Unauthorized);
        sessions.MapPost("/{id}/reset", ResetHandler.ResetAsync)
            .WithName("ResetSession").WithSummary("Reset a node, or every node, to the lab's initial state")
            .WithDescription("Body: {\"node\": \"server\", \"progress\": \"keep\"} (leave 'node' out for every node; 'progress' is keep or clear). Open consoles of those nodes close (code 4004); their progress goes to the event stream; answers once they run again. Per-learner storage is kept.")
            .Accepts<ResetSessionRequest>("application/json")
            .Produces<SessionResponse>().ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        sessions.MapPost("/{id}/save", SavedSessionHandlers.SaveAsync)
            .WithName("SaveSession").WithSummary("Save a running session to continue later")
            .WithDescription("Keeps every node's files (not its memory), the credentials and the guide progress; the session keeps running. Limited per user by LabOrchestrator:MaxSavedSessionsPerUser (429).")
            .Produces<SavedSessionResponse>(StatusCodes.Status201Created)
            .ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status429TooManyRequests).ProducesProblem(StatusCodes.Status503ServiceUnavailable);

        var saved = api.MapGroup("/saved-sessions").WithTags("saved-sessions").RequireAuthorization(Policies.User)
            .ProducesProblem(StatusCodes.Status401Unauthorized);
        saved.MapGet("", SavedSessionHandlers.ListAsync)
            .WithName("ListSavedSessions").WithSummary("List saved sessions (your own; admins everyone's, or ?user=)")
            .Produces<List<SavedSessionResponse>>();
        saved.MapGet("/{id}", SavedSessionHandlers.GetAsync)
            .WithName("GetSavedSession").WithSummary("Get a saved session")
            .Produces<SavedSessionResponse>().ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound);
        saved.MapDelete("/{id}", SavedSessionHandlers.DeleteAsync)
            .WithName("DeleteSavedSession").WithSummary("Delete a saved session and what the engine keeps of it")
            .Produces(StatusCodes.Status204NoContent)
            .ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        saved.MapPost("/{id}/continue", SavedSessionHandlers.ContinueAsync)
            .WithName("ContinueSavedSession").WithSummary("Start a new session from a saved one")
            .WithDescription("Returns 202 with the Pending session, as POST /api/sessions does; it runs the saved files with the saved credentials and guide progress.")
            .Produces<SessionResponse>(StatusCodes.Status202Accepted)
            .ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status429TooManyRequests);

        var storage = api.MapGroup("/storage").WithTags("storage").RequireAuthorization(Policies.User)
            .ProducesProblem(StatusCodes.Status401Unauthorized);
        storage.MapGet("", StorageHandlers.ListAsync)
            .WithName("ListStorage").WithSummary("List stored data: folders kept per learner and lab (your own; admins everyone's, or ?user=)")
            .Produces<List<StoredVolumeResponse>>();
        storage.MapDelete("/{name}", StorageHandlers.DeleteAsync)
            .WithName("DeleteStorage").WithSummary("Delete stored data; refused while a session uses it")
            .Produces(StatusCodes.Status204NoContent).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        return api;
    }
}
