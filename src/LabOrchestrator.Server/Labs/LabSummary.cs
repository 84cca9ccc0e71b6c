using LabOrchestrator.Labs;

namespace LabOrchestrator.Server.Labs;

/// <summary>A lab as lists show it.</summary>
internal sealed record LabSummary(
    string Name,
    string? Title,
    string? Description,
    IReadOnlyList<string> Tags,
    bool Published,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    public static LabSummary From(StoredLab lab) => new(
        lab.Name, lab.Definition.Title, lab.Definition.Description, lab.Definition.Tags, lab.Published, lab.CreatedAt, lab.UpdatedAt);
}
