namespace LabOrchestrator.Persistence;

/// <summary>
/// A lab guide's folder as sessions saw it when they were created: a tar of its files, named by its SHA-256. Sessions
/// (and saved sessions) point at one by <see cref="Hash"/>, so re-importing or deleting the lab never changes their guide,
/// and every server replica reads the same guide from the database.
/// </summary>
internal sealed class GuideSnapshotEntity
{
    /// <summary>SHA-256 of <see cref="Content"/>, 64 lowercase hex digits.</summary>
    public required string Hash { get; set; }
    public required byte[] Content { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}
