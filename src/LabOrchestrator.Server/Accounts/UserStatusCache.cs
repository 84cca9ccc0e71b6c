using System.Collections.Concurrent;
using LabOrchestrator.Server.Accounts.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace LabOrchestrator.Server.Accounts;

/// <summary>
/// The current state and security stamp of users for cookie, API token and access token checks, read again after
/// <see cref="AuthOptions.UserCheckInterval"/>. Changes made through this replica invalidate at once; other replicas see
/// them within the interval. Keys ignore case, as user ids do.
/// </summary>
internal sealed class UserStatusCache(IDbContextFactory<AccountsDbContext> contexts, IOptions<AuthOptions> options, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, (UserSignIn? User, DateTimeOffset ReadAt)> entries = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The user as stored with their stamp, or null when deleted (or never able to log in).</summary>
    public async Task<UserSignIn?> GetAsync(string id, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (entries.TryGetValue(id, out var entry) && now - entry.ReadAt < options.Value.UserCheckInterval)
        {
            return entry.User;
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var entity = await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Id == id, cancellationToken);
        var user = entity?.PasswordHash is null ? null : new UserSignIn(AccountService.ToUser(entity), entity.SecurityStamp);
        entries[id] = (user, now);
        return user;
    }

    public void Invalidate(string id) => entries.TryRemove(id, out _);
}
