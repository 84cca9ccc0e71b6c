namespace LabOrchestrator.Server.Pools;

/// <summary>Warm pools, bound from "Pools". Pool sessions also count against <c>Quotas:Total</c>, never a learner's <c>Quotas:PerUser</c>.</summary>
public sealed record PoolOptions
{
    public const string SectionName = "Pools";

    /// <summary>Sessions all pools together may hold (started or starting, not yet claimed); 0 turns pools off.</summary>
    public int Capacity { get; set; } = 10;

    /// <summary>How often the pools are checked and refilled; a claim, a failure or a settings change also wakes them.</summary>
    public TimeSpan RefillPeriod { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How long a claim holds off its lab's refill: the new pool session's start (pod creation, hundreds of ms of CPU)
    /// would otherwise run beside the learner's first token request and terminal open. Zero refills at once.
    /// </summary>
    public TimeSpan RefillDelayAfterClaim { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Pool sessions starting at once, over all pools, so that filling pools never floods the engine.</summary>
    public int MaxConcurrentStarts { get; set; } = 2;

    /// <summary>Wait after a lab's first failed pool start; doubled on each further failure up to <see cref="MaxRetryBackoff"/>.</summary>
    public TimeSpan RetryBackoff { get; set; } = TimeSpan.FromSeconds(30);

    public TimeSpan MaxRetryBackoff { get; set; } = TimeSpan.FromMinutes(10);
}
