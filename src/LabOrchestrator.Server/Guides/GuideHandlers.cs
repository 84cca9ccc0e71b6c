using System.Security.Claims;
using LabOrchestrator.Guides;
using LabOrchestrator.Server.Sessions;
using LabOrchestrator.Sessions;

namespace LabOrchestrator.Server.Guides;

/// <summary>The guide of a session's lab: rendered pages with progress, media files, step checks and ticks.</summary>
internal static class GuideHandlers
{
    public static async Task<IResult> GetAsync(string id, ClaimsPrincipal user, ISessionService sessions, SessionGuides guides, IGuideProgressStore store, CancellationToken cancellationToken)
    {
        var session = await SessionHandlers.GetVisibleAsync(id, user, sessions, cancellationToken);
        var guide = await guides.RequireAsync(session, cancellationToken);
        var progress = await store.GetAsync(session.Id, cancellationToken);
        var variables = GuideVariables.For(guide, session);
        var mediaBase = $"/api/sessions/{Uri.EscapeDataString(session.Id)}/guide/media/";
        var pages = guide.Pages.Select(page => new GuidePageResponse(
            page.Name,
            variables.Substitute(page.Title),
            GuideRenderer.Render(page, variables, mediaBase),
            ProgressSummary.Of(page.Steps, progress),
            page.Steps.Select(step => new GuideStepResponse(
                step.Id,
                step.Title is null ? null : variables.Substitute(step.Title),
                step.Check is not null,
                step.Hints.Select(variables.Substitute).ToList(),
                StepProgressResponse.From(StepOf(progress, step)))).ToList())).ToList();
        return TypedResults.Ok(new GuideResponse(variables.Substitute(guide.Title), ProgressSummary.Of(guide.Steps, progress), pages));
    }

    public static async Task<IResult> MediaAsync(string id, string path, HttpContext context, ISessionService sessions, SessionGuides guides, CancellationToken cancellationToken)
    {
        var session = await SessionHandlers.GetVisibleAsync(id, context.User, sessions, cancellationToken);
        var folder = await guides.RequireFolderAsync(session, cancellationToken);
        var file = GuideMedia.Resolve(folder, path, out var problem) ?? throw GuideProblems.MediaNotFound(problem);
        var headers = context.Response.Headers;
        headers.ContentSecurityPolicy = "sandbox";
        headers.XContentTypeOptions = "nosniff";
        return TypedResults.PhysicalFile(file.FullPath, file.ContentType);
    }

    public static async Task<IResult> CheckAsync(
        string id, string stepId, ClaimsPrincipal user, ISessionService sessions, SessionGuides guides, IGuideProgressStore store, Observability.LabMetrics metrics, Lifecycle.SessionActivity activity, CancellationToken cancellationToken)
    {
        var (session, guide, step) = await FindOwnStepAsync(id, stepId, user, sessions, guides, cancellationToken);
        activity.Record(session.Id);
        if (step.Check is null)
        {
            throw GuideProblems.NoCheck(stepId);
        }

        var result = await GuideChecker.RunCheckAsync(sessions, session.Id, step, cancellationToken);
        metrics.RecordCheck(session.LabName, result);
        var stepProgress = await store.RecordCheckAsync(session.Id, step.Id, result, CancellationToken.None);
        var progress = await store.GetAsync(session.Id, CancellationToken.None);
        return TypedResults.Ok(new GuideCheckResponse(result.Passed, result.Feedback, StepProgressResponse.From(stepProgress), ProgressSummary.Of(guide.Steps, progress)));
    }

    public static async Task<IResult> SetProgressAsync(
        string id, string stepId, HttpContext context, ISessionService sessions, SessionGuides guides, IGuideProgressStore store, Lifecycle.SessionActivity activity, CancellationToken cancellationToken)
    {
        var (session, guide, step) = await FindOwnStepAsync(id, stepId, context.User, sessions, guides, cancellationToken);
        activity.Record(session.Id);
        if (step.Check is not null)
        {
            throw GuideProblems.HasCheck(stepId);
        }

        var request = await SessionJsonBody.ReadAsync<StepProgressRequest>(context.Request, cancellationToken);
        var done = request.Done ?? throw GuideProblems.DoneMissing();
        var stepProgress = await store.SetManualAsync(session.Id, step.Id, done, cancellationToken);
        var progress = await store.GetAsync(session.Id, CancellationToken.None);
        return TypedResults.Ok(new StepProgressUpdateResponse(StepProgressResponse.From(stepProgress), ProgressSummary.Of(guide.Steps, progress)));
    }

    public static async Task<IResult> ProgressAsync(string id, ClaimsPrincipal user, ISessionService sessions, SessionGuides guides, IGuideProgressStore store, CancellationToken cancellationToken)
    {
        var session = await SessionHandlers.GetVisibleAsync(id, user, sessions, cancellationToken);
        var guide = await guides.RequireAsync(session, cancellationToken);
        var progress = await store.GetAsync(session.Id, cancellationToken);
        var summary = ProgressSummary.Of(guide.Steps, progress);
        var steps = guide.Steps.Select(step => new SessionStepProgressResponse(
            step.Id, step.Page, step.Title, step.Check is not null, StepProgressResponse.From(StepOf(progress, step)))).ToList();
        return TypedResults.Ok(new SessionProgressResponse(session.Id, session.UserId, session.LabName, summary.Done, summary.Total, steps));
    }

    /// <summary>A step of the caller's own running session: 403 for anyone else, 404 for no such step, 409 when not running.</summary>
    private static async Task<(Session Session, Guide Guide, GuideStep Step)> FindOwnStepAsync(
        string id, string stepId, ClaimsPrincipal user, ISessionService sessions, SessionGuides guides, CancellationToken cancellationToken)
    {
        var session = await SessionHandlers.GetVisibleAsync(id, user, sessions, cancellationToken);
        if (!SessionAccess.IsOwner(user, session))
        {
            throw GuideProblems.NotOwner(id);
        }

        var guide = await guides.RequireAsync(session, cancellationToken);
        var step = guide.Steps.FirstOrDefault(s => s.Id == stepId || s.Reference == stepId) ?? throw GuideProblems.StepNotFound(stepId);
        if (session.State is not SessionState.Running)
        {
            throw GuideProblems.NotRunning(id, session.State.ToString());
        }

        return (session, guide, step);
    }

    private static StepProgress StepOf(IReadOnlyDictionary<string, StepProgress> progress, GuideStep step) =>
        progress.GetValueOrDefault(step.Id) ?? StepProgress.NotStarted(step.Id);
}
