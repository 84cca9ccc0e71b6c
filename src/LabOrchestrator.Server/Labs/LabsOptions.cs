namespace LabOrchestrator.Server.Labs;

/// <summary>Limits of lab uploads and where uploaded labs are kept, bound from the "Labs" configuration section.</summary>
public sealed record LabsOptions
{
    public const string SectionName = "Labs";

    /// <summary>Folder holding one sub-folder per uploaded lab; by default <c>labs/</c> next to the database file.</summary>
    public string? Folder { get; set; }

    /// <summary>Most files and folders an uploaded archive may hold.</summary>
    public int MaxArchiveEntries { get; set; } = 1000;

    /// <summary>Most bytes an uploaded archive may unpack to; guards against zip bombs.</summary>
    public long MaxArchiveBytes { get; set; } = 100L * 1024 * 1024;
}
