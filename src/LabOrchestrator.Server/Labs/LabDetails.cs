using LabOrchestrator.Labs;

namespace LabOrchestrator.Server.Labs;

/// <summary>A lab's definition as clients need it: its nodes and what a learner may open on each, its networks and limits.</summary>
internal sealed record LabDetails(
    string Name,
    string? Title,
    string? Description,
    IReadOnlyList<string> Tags,
    bool Published,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    IReadOnlyList<LabNodeSummary> Nodes,
    IReadOnlyList<string> Networks,
    LabLimitsSummary Limits,
    bool HasGuide)
{
    /// <summary>
    /// Set by upload and publish only: nodes whose image the engine does not have (<c>present: false</c>) or cannot tell
    /// about (<c>present: null</c>). The lab is stored all the same; its sessions fail to start until the image is there.
    /// </summary>
    public IReadOnlyList<LabImageWarning>? Warnings { get; init; }

    public static LabDetails From(StoredLab lab)
    {
        var definition = lab.Definition;
        return new(
            lab.Name,
            definition.Title,
            definition.Description,
            definition.Tags,
            lab.Published,
            lab.CreatedAt,
            lab.UpdatedAt,
            definition.Nodes.Select(LabNodeSummary.From).ToList(),
            definition.Networks.Select(n => n.Name).ToList(),
            new LabLimitsSummary(Seconds(definition.Limits.Duration), Seconds(definition.Limits.IdleTimeout)),
            definition.Guide is not null);
    }

    private static long? Seconds(TimeSpan? value) => value is { } v ? (long)v.TotalSeconds : null;
}
