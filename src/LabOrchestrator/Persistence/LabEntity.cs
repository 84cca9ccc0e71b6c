namespace LabOrchestrator.Persistence;

internal sealed class LabEntity
{
    public required string Name { get; set; }
    public string? Title { get; set; }
    public string? Description { get; set; }
    /// <summary>Tags joined with newlines; a lab's tags are few and only ever read whole.</summary>
    public string Tags { get; set; } = "";
    public required string SourceYaml { get; set; }
    public required string SourceFile { get; set; }
    public string? SourceDirectory { get; set; }
    public bool Published { get; set; } = true;
    /// <summary>An administrator's warm pool size for the lab, overriding the lab file's <c>pool.size</c>; null keeps the file's.</summary>
    public int? PoolSize { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}
