namespace LabOrchestrator.Sessions;

/// <summary>A session saved to continue later: its lab as it ran, its guide progress and what each node continues from.</summary>
public sealed record SavedSession
{
    public required string Id { get; init; }
    public required string UserId { get; init; }
    public required string LabName { get; init; }
    public required string Engine { get; init; }
    /// <summary>The session it was saved from.</summary>
    public required string SessionId { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    /// <summary>Node → the engine object it continues from (Podman: an image).</summary>
    public required IReadOnlyDictionary<string, string> Nodes { get; init; }
    /// <summary>Guide steps done when it was saved.</summary>
    public int StepsDone { get; init; }
}
