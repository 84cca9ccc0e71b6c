namespace LabOrchestrator.Guides;

/// <summary>One Markdown page of a guide and the steps written in it.</summary>
public sealed record GuidePage
{
    /// <summary>The file name without <c>.md</c>; used in step references such as <c>basics/make-file</c>.</summary>
    public required string Name { get; init; }
    public required string FileName { get; init; }
    /// <summary>The text of the page's first heading, or its name when it has none.</summary>
    public required string Title { get; init; }
    public required string Markdown { get; init; }
    public IReadOnlyList<GuideStep> Steps { get; init; } = [];
}
