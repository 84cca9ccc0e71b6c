using LabOrchestrator.Labs;

namespace LabOrchestrator.Cli.Rendering;

/// <summary>A stored lab as --output json shows it.</summary>
internal sealed record LabJson(
    string Name,
    string? Title,
    string? Description,
    IReadOnlyList<string> Tags,
    IReadOnlyList<string> Nodes,
    IReadOnlyList<string> Networks,
    bool Published,
    string SourceFile,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    /// <summary>Set by import: nodes whose image the engine does not have or cannot tell about.</summary>
    public IReadOnlyList<string>? Warnings { get; init; }

    public static LabJson From(StoredLab lab) => new(
        lab.Name,
        lab.Definition.Title,
        lab.Definition.Description,
        lab.Definition.Tags,
        lab.Definition.Nodes.Select(n => n.Name).ToList(),
        lab.Definition.Networks.Select(n => n.Name).ToList(),
        lab.Published,
        lab.SourceFile,
        lab.CreatedAt,
        lab.UpdatedAt);
}
