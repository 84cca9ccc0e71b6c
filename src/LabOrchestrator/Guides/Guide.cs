namespace LabOrchestrator.Guides;

/// <summary>A lab's guide: its title, its pages in reading order and the variables its author defined.</summary>
public sealed record Guide
{
    public required string Title { get; init; }
    /// <summary>Full path of the guide folder; pages and media are read from it.</summary>
    public required string Folder { get; init; }
    public required IReadOnlyList<GuidePage> Pages { get; init; }
    public IReadOnlyDictionary<string, string> Variables { get; init; } = new Dictionary<string, string>();

    public IEnumerable<GuideStep> Steps => Pages.SelectMany(p => p.Steps);

    public GuidePage? FindPage(string name) => Pages.FirstOrDefault(p => p.Name == name);
}
