using LabOrchestrator.Persistence;
using Microsoft.EntityFrameworkCore;

namespace LabOrchestrator.Sessions;

/// <summary>The one compare-and-set by which an operation or a reconciler takes a session's operation lease.</summary>
internal static class OperationLease
{
    /// <summary>
    /// Makes <paramref name="newOwner"/> the session's owner, beating at <paramref name="now"/>, if its state, owner and
    /// heartbeat are still what was read: of two takers one wins. True if this one did.
    /// </summary>
    public static async Task<bool> TryTakeAsync(
        LabOrchestratorDbContext db, string sessionId, SessionState state, string? seenOwner, DateTimeOffset? seenHeartbeat,
        string newOwner, DateTimeOffset now, CancellationToken cancellationToken) =>
        await db.Sessions
            .Where(s => s.Id == sessionId && s.State == state && s.OperationOwner == seenOwner && s.OperationHeartbeat == seenHeartbeat)
            .ExecuteUpdateAsync(set => set.SetProperty(s => s.OperationOwner, newOwner).SetProperty(s => s.OperationHeartbeat, now), cancellationToken) == 1;
}
