using System.Collections.Concurrent;
using LabOrchestrator.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace LabOrchestrator.Server.Accounts;

/// <summary>
/// The current state of users for cookie checks, read again after <see cref="AuthOptions.UserCheckInterval"/>.
/// Changes made through this replica invalidate at once; other replicas see them within the interval.
/// </summary>
internal sealed class UserStatusCache(IDbContextFactory<LabOrchestratorDbContext> contexts, IOptions<AuthOptions> options, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, (AccountUser? User, DateTimeOffset ReadAt)> entries = new(StringComparer.Ordinal);

    /// <summary>The user as stored, or null when deleted.</summary>
    public async Task<AccountUser?> GetAsync(string id, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (entries.TryGetValue(id, out var entry) && now - entry.ReadAt < options.Value.UserCheckInterval)
        {
            return entry.User;
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var entity = await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Id == id, cancellationToken);
        var user = entity?.PasswordHash is null ? null : AccountService.ToUser(entity);
        entries[id] = (user, now);
        return user;
    }

    public void Invalidate(string id) => entries.TryRemove(id, out _);
}
