namespace LabOrchestrator.Labs;

/// <summary>What a learner may open on a node.</summary>
public sealed record AccessDefinition
{
    public bool Terminal { get; init; } = true;
    public bool Desktop { get; init; }
    public IReadOnlyList<HttpPortDefinition> Http { get; init; } = [];
}
