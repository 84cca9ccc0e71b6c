namespace LabOrchestrator.Labs;

public sealed record LimitsDefinition
{
    public TimeSpan? Duration { get; init; }
    public TimeSpan? IdleTimeout { get; init; }
}
