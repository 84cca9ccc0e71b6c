using System.Security.Claims;
using LabOrchestrator.Guides;
using LabOrchestrator.Labs;
using LabOrchestrator.Server.Sessions;
using LabOrchestrator.Sessions;

namespace LabOrchestrator.Server.Guides;

/// <summary>The guide of a session's lab: rendered pages, media files, step checks.</summary>
internal static class GuideHandlers
{
    public static async Task<IResult> GetAsync(string id, ClaimsPrincipal user, ISessionService sessions, ILabCatalog catalog, CancellationToken cancellationToken)
    {
        var session = await SessionHandlers.GetVisibleAsync(id, user, sessions, cancellationToken);
        var guide = await LoadGuideAsync(session, catalog, cancellationToken);
        var variables = GuideVariables.For(guide, session);
        var mediaBase = $"/api/sessions/{Uri.EscapeDataString(session.Id)}/guide/media/";
        var pages = guide.Pages.Select(page => new GuidePageResponse(
            page.Name,
            variables.Substitute(page.Title),
            GuideRenderer.Render(page, variables, mediaBase),
            page.Steps.Select(step => new GuideStepResponse(
                step.Id,
                step.Title is null ? null : variables.Substitute(step.Title),
                step.Check is not null,
                step.Hints.Select(variables.Substitute).ToList())).ToList())).ToList();
        return TypedResults.Ok(new GuideResponse(variables.Substitute(guide.Title), pages));
    }

    public static async Task<IResult> MediaAsync(string id, string path, HttpContext context, ISessionService sessions, ILabCatalog catalog, CancellationToken cancellationToken)
    {
        var session = await SessionHandlers.GetVisibleAsync(id, context.User, sessions, cancellationToken);
        var folder = await GuideFolderAsync(session, catalog, cancellationToken);
        var file = GuideMedia.Resolve(folder, path, out var problem) ?? throw GuideProblems.MediaNotFound(problem);
        var headers = context.Response.Headers;
        headers.ContentSecurityPolicy = "sandbox";
        headers.XContentTypeOptions = "nosniff";
        return TypedResults.PhysicalFile(file.FullPath, file.ContentType);
    }

    public static async Task<IResult> CheckAsync(string id, string stepId, ClaimsPrincipal user, ISessionService sessions, ILabCatalog catalog, CancellationToken cancellationToken)
    {
        var session = await SessionHandlers.GetVisibleAsync(id, user, sessions, cancellationToken);
        if (!SessionAccess.IsOwner(user, session))
        {
            throw GuideProblems.NotOwner(id);
        }

        var guide = await LoadGuideAsync(session, catalog, cancellationToken);
        var step = guide.Steps.FirstOrDefault(s => s.Id == stepId || s.Reference == stepId) ?? throw GuideProblems.StepNotFound(stepId);
        if (step.Check is null)
        {
            throw GuideProblems.NoCheck(stepId);
        }

        if (session.State is not SessionState.Running)
        {
            throw GuideProblems.NotRunning(id, session.State.ToString());
        }

        var result = await GuideChecker.RunCheckAsync(sessions, session.Id, step, cancellationToken);
        return TypedResults.Ok(new GuideCheckResponse(result.Passed, result.Feedback));
    }

    private static async Task<string> GuideFolderAsync(Session session, ILabCatalog catalog, CancellationToken cancellationToken)
    {
        var lab = await catalog.GetAsync(session.LabName, cancellationToken);
        if (lab?.Definition.Guide is not { Length: > 0 } guide || lab.SourceDirectory is null)
        {
            throw GuideProblems.NoGuide(session.LabName);
        }

        var folder = Path.Combine(lab.SourceDirectory, guide);
        return Directory.Exists(folder) ? folder : throw GuideProblems.NoGuide(session.LabName);
    }

    private static async Task<Guide> LoadGuideAsync(Session session, ILabCatalog catalog, CancellationToken cancellationToken)
    {
        var folder = await GuideFolderAsync(session, catalog, cancellationToken);
        var lab = await catalog.GetAsync(session.LabName, cancellationToken);
        var nodes = lab?.Definition.Nodes.Select(n => n.Name).ToList();
        var result = GuideLoader.Load(folder, nodes);
        return result.IsValid ? result.Guide! : throw GuideProblems.InvalidGuide(session.LabName);
    }
}
