using LabOrchestrator.Server.Accounts;

namespace LabOrchestrator.Server.Guides;

/// <summary>The guide of a session's lab under <c>/api/sessions/{id}/guide</c>.</summary>
internal static class GuidesEndpoints
{
    public const string Tag = "guides";

    public static IServiceCollection AddGuidesApi(this IServiceCollection services) => services.AddSingleton<SessionGuides>();

    public static RouteGroupBuilder MapGuidesApi(this RouteGroupBuilder api)
    {
        var guide = api.MapGroup("/sessions/{id}/guide").WithTags(Tag).RequireAuthorization(Policies.User)
            .ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound);

        guide.MapGet("", GuideHandlers.GetAsync)
            .WithName("GetSessionGuide").WithSummary("The lab guide of a session, rendered for it")
            .WithDescription("Pages as sanitised HTML with the session's variables filled in; images point at the media endpoint. 404 when the lab has no guide.")
            .Produces<GuideResponse>();
        guide.MapGet("/media/{**path}", GuideHandlers.MediaAsync)
            .WithName("GetSessionGuideMedia").WithSummary("A file of the guide folder (images and the like)")
            .WithDescription("Served with Content-Security-Policy: sandbox and X-Content-Type-Options: nosniff. Paths leaving the guide folder get 404.")
            .Produces(StatusCodes.Status200OK, contentType: "application/octet-stream");
        guide.MapPost("/steps/{stepId}/check", GuideHandlers.CheckAsync)
            .WithName("CheckGuideStep").WithSummary("Run a step's check in the session (owner only)")
            .WithDescription("Records the attempt; a passing check marks the step done for good. 409 when the session is not Running.")
            .Produces<GuideCheckResponse>().ProducesProblem(StatusCodes.Status409Conflict);
        guide.MapPut("/steps/{stepId}/progress", GuideHandlers.SetProgressAsync)
            .WithName("SetGuideStepProgress").WithSummary("Tick or untick a step without a check (owner only)")
            .WithDescription("Body {\"done\": true|false}. 409 for steps with a check (they tick themselves) and when the session is not Running.")
            .Accepts<StepProgressRequest>("application/json")
            .Produces<StepProgressUpdateResponse>().ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status409Conflict);
        api.MapGet("/sessions/{id}/progress", GuideHandlers.ProgressAsync).WithTags(Tag).RequireAuthorization(Policies.User)
            .WithName("GetSessionProgress").WithSummary("A session's progress through its guide, step by step")
            .WithDescription("For the session's owner, instructors and admins. 404 when the lab has no guide.")
            .Produces<SessionProgressResponse>()
            .ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound);
        return api;
    }
}
