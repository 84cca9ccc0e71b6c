namespace LabOrchestrator.Persistence;

/// <summary>
/// A session saved to continue later: the lab file as it ran, its credentials, its guide progress, and what each node runs
/// instead of its image (Podman: a committed image per node). The JSON columns are read and written whole, never queried.
/// </summary>
internal sealed class SavedSessionEntity
{
    public required string Id { get; set; }
    public required string UserId { get; set; }
    public required string LabName { get; set; }
    public required string Engine { get; set; }
    /// <summary>The session it was saved from.</summary>
    public required string SessionId { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public required string LabYaml { get; set; }
    /// <summary>The guide as it was when the session was created (<see cref="GuideSnapshotEntity"/>); null when the lab has none, or for sessions older than snapshots.</summary>
    public string? GuideHash { get; set; }
    /// <summary>Node → image, JSON object.</summary>
    public required string ImagesJson { get; set; }
    /// <summary>The session's credentials, JSON array, so the continued nodes' logins still work.</summary>
    public required string CredentialsJson { get; set; }
    /// <summary>Guide progress, JSON array of steps.</summary>
    public required string StepsJson { get; set; }
}
