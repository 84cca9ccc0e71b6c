namespace LabOrchestrator.Server.Pools;

/// <summary>A lab's warm pool as instructors and admins see it.</summary>
internal sealed record PoolStatus
{
    public required string Lab { get; init; }

    /// <summary>Sessions the pool keeps now: 0 while the lab is unpublished or cannot be pooled.</summary>
    public required int Size { get; init; }

    /// <summary>The lab file's <c>pool.size</c>; null when the file asks for none.</summary>
    public int? LabFileSize { get; init; }

    /// <summary>The administrator's size, which wins over the file's; null when none is set.</summary>
    public int? OverrideSize { get; init; }

    /// <summary>Running and waiting for a learner.</summary>
    public required int Ready { get; init; }

    /// <summary>Pending or Starting.</summary>
    public required int Starting { get; init; }

    /// <summary>Why the lab cannot be pooled, when it cannot.</summary>
    public string? NotPoolable { get; init; }

    public required bool Published { get; init; }

    /// <summary>Failed pool starts in a row (0 after a success).</summary>
    public int ConsecutiveFailures { get; init; }

    /// <summary>The last failed pool start's reason and the engine's detail.</summary>
    public string? LastFailureReason { get; init; }

    public string? LastFailureDetail { get; init; }

    public DateTimeOffset? LastFailureAt { get; init; }

    /// <summary>No pool start for this lab before this time (back-off after failures).</summary>
    public DateTimeOffset? NextAttemptAt { get; init; }
}
