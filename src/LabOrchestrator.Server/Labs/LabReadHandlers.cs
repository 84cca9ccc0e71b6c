using System.Security.Claims;
using LabOrchestrator.Labs;

namespace LabOrchestrator.Server.Labs;

/// <summary>Reading labs: every user, but learners see published labs only.</summary>
internal static class LabReadHandlers
{
    public static async Task<IResult> ListAsync(ClaimsPrincipal user, ILabCatalog catalog, string? tag, string? q, string? published, CancellationToken cancellationToken)
    {
        var filter = LabFilter.Parse(tag, q, published);
        var labs = await catalog.ListAsync(cancellationToken);
        return TypedResults.Ok(filter.Apply(labs, user).Select(LabSummary.From).ToList());
    }

    public static async Task<IResult> GetAsync(string name, ClaimsPrincipal user, ILabCatalog catalog, CancellationToken cancellationToken) =>
        TypedResults.Ok(LabDetails.From(await GetVisibleAsync(name, user, catalog, cancellationToken)));

    /// <summary>The lab, if the user may see it; an unpublished lab does not exist for a learner.</summary>
    public static async Task<StoredLab> GetVisibleAsync(string name, ClaimsPrincipal user, ILabCatalog catalog, CancellationToken cancellationToken)
    {
        var lab = await catalog.GetAsync(name, cancellationToken);
        return lab is not null && LabFilter.Visible(lab, user) ? lab : throw LabProblems.NotFound(name);
    }
}
