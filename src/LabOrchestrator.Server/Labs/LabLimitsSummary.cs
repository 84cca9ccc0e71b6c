namespace LabOrchestrator.Server.Labs;

/// <summary>A lab's limits in seconds; null where the lab sets none.</summary>
internal sealed record LabLimitsSummary(long? DurationSeconds, long? IdleTimeoutSeconds);
