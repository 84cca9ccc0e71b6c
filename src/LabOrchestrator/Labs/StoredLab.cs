namespace LabOrchestrator.Labs;

/// <summary>A lab in the catalogue: its definition, where it came from, and whether learners may start it.</summary>
public sealed record StoredLab
{
    public required LabDefinition Definition { get; init; }
    public required string SourceYaml { get; init; }
    public required string SourceFile { get; init; }
    /// <summary>Folder the lab was imported from; the guide path is relative to it.</summary>
    public string? SourceDirectory { get; init; }
    public bool Published { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }

    public string Name => Definition.Name;
}
