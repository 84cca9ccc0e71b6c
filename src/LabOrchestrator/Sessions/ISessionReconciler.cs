namespace LabOrchestrator.Sessions;

/// <summary>
/// Compares the sessions in the database with what the engine holds and repairs the difference (see
/// docs/lifecycle-recovery.md). The server runs it at start-up and periodically; labctl before commands that change
/// sessions and as <c>labctl session reconcile</c>.
/// </summary>
public interface ISessionReconciler
{
    /// <summary>One pass. <paramref name="staleAfter"/> overrides the heartbeat timeout (labctl's --stale-after).</summary>
    Task<ReconcileReport> ReconcileAsync(TimeSpan? staleAfter = null, CancellationToken cancellationToken = default);
}
