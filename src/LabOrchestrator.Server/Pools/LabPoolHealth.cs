namespace LabOrchestrator.Server.Pools;

/// <summary>Failed pool starts of one lab: how many in a row, the last reason, and when the next attempt may be made.</summary>
internal sealed record LabPoolHealth(int ConsecutiveFailures, string? LastFailureReason, string? LastFailureDetail, DateTimeOffset? LastFailureAt, DateTimeOffset? NextAttemptAt)
{
    public static LabPoolHealth Healthy { get; } = new(0, null, null, null, null);

    public LabPoolHealth Failed(string? reason, string? detail, DateTimeOffset at, PoolOptions options)
    {
        var failures = ConsecutiveFailures + 1;
        // Doubling from RetryBackoff, capped: a lab whose image is missing is tried a few times an hour, not in a loop.
        var factor = Math.Pow(2, Math.Min(failures - 1, 20));
        var wait = TimeSpan.FromTicks((long)Math.Min(options.RetryBackoff.Ticks * factor, options.MaxRetryBackoff.Ticks));
        return new LabPoolHealth(failures, reason, detail, at, at + wait);
    }
}
