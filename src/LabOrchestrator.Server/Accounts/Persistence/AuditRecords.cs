using Microsoft.EntityFrameworkCore;

namespace LabOrchestrator.Server.Accounts.Persistence;

/// <summary>
/// Writes one audit entry into the database for hosts other than the server (labctl), so that changes made on the
/// server machine appear in the same log as those made through the API.
/// </summary>
internal static class AuditRecords
{
    public static async Task AddAsync(
        IDbContextFactory<AccountsDbContext> contexts, DateTimeOffset at, string? userId, string action,
        string? sessionId, string? target, string? remoteAddress, string? details, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(contexts);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        db.AuditEntries.Add(new AuditEntryEntity
        {
            At = at,
            UserId = userId,
            Action = action,
            SessionId = sessionId,
            Target = target,
            RemoteAddress = remoteAddress,
            Details = details,
        });
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
    }
}
