using LabOrchestrator.Server.Accounts;
using LabOrchestrator.Server.Accounts.Persistence;
using Microsoft.EntityFrameworkCore;

namespace LabOrchestrator.Server.Audit;

internal sealed class AuditLog(IDbContextFactory<AccountsDbContext> contexts, TimeProvider time) : IAuditLog
{
    public async Task RecordAsync(HttpContext? context, string action, string? userId = null, string? sessionId = null, string? target = null, string? details = null, CancellationToken cancellationToken = default)
    {
        var user = userId ?? (context?.User.Identity?.IsAuthenticated == true ? context.User.GetUserId() : null);
        await AuditRecords.AddAsync(contexts, time.GetUtcNow(), user, action, sessionId, target, context?.Connection.RemoteIpAddress?.ToString(), details, cancellationToken);
    }

    public async Task<IReadOnlyList<AuditEntry>> ListAsync(AuditQuery query, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var entries = db.AuditEntries.AsNoTracking();
        if (query.UserId is not null)
        {
            entries = entries.Where(e => e.UserId == query.UserId);
        }

        if (query.SessionId is not null)
        {
            entries = entries.Where(e => e.SessionId == query.SessionId);
        }

        if (query.Action is not null)
        {
            entries = entries.Where(e => e.Action == query.Action);
        }

        // Ids grow with time, and SQLite cannot order by DateTimeOffset.
        var list = await entries.OrderByDescending(e => e.Id).Take(Math.Clamp(query.Limit, 1, 1000)).ToListAsync(cancellationToken);
        return list.Select(e => new AuditEntry(e.Id, e.At, e.UserId, e.Action, e.SessionId, e.Target, e.RemoteAddress, e.Details)).ToList();
    }
}
