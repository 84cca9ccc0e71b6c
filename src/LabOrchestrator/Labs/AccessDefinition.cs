namespace LabOrchestrator.Labs;

/// <summary>What a learner may open on a node.</summary>
public sealed record AccessDefinition
{
    public bool Terminal { get; init; } = true;
    /// <summary>The user terminals log in as; null for the image's user (root in most images).</summary>
    public string? User { get; init; }
    public bool Desktop { get; init; }
    public IReadOnlyList<HttpPortDefinition> Http { get; init; } = [];
}
