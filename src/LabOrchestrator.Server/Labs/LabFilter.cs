using System.Security.Claims;
using LabOrchestrator.Labs;
using LabOrchestrator.Server.Accounts;

namespace LabOrchestrator.Server.Labs;

/// <summary>The filters of <c>GET /api/labs</c>. Learners only ever see published labs.</summary>
internal sealed record LabFilter(string? Tag, string? Text, bool? Published)
{
    public static LabFilter Parse(string? tag, string? q, string? published)
    {
        bool? publishedFilter = null;
        if (!string.IsNullOrWhiteSpace(published))
        {
            publishedFilter = bool.TryParse(published, out var value)
                ? value
                : throw new RequestProblemException(StatusCodes.Status400BadRequest, "Invalid filter", $"'{published}' is not true or false.", "published");
        }

        return new LabFilter(string.IsNullOrWhiteSpace(tag) ? null : tag.Trim(), string.IsNullOrWhiteSpace(q) ? null : q.Trim(), publishedFilter);
    }

    public IEnumerable<StoredLab> Apply(IEnumerable<StoredLab> labs, ClaimsPrincipal user) =>
        labs.Where(l => Visible(l, user)
            && (Published is not { } published || l.Published == published)
            && (Tag is null || l.Definition.Tags.Contains(Tag, StringComparer.OrdinalIgnoreCase))
            && (Text is null || Matches(l.Name, Text) || Matches(l.Definition.Title, Text) || Matches(l.Definition.Description, Text)));

    public static bool Visible(StoredLab lab, ClaimsPrincipal user) => lab.Published || user.IsInstructorOrAdmin();

    private static bool Matches(string? value, string text) => value?.Contains(text, StringComparison.OrdinalIgnoreCase) == true;
}
