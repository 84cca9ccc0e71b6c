using LabOrchestrator.Server.Accounts.Persistence;
using Microsoft.EntityFrameworkCore;

namespace LabOrchestrator.Server.Accounts;

internal sealed partial class AccountService
{
    public async Task RevokeSignInsAsync(string userId, CancellationToken cancellationToken = default)
    {
        var stamp = AccountEntity.NewSecurityStamp();
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var changed = await db.Users.Where(u => u.Id == userId)
            .ExecuteUpdateAsync(u => u.SetProperty(x => x.SecurityStamp, stamp), cancellationToken);
        if (changed > 0)
        {
            Revoked(userId);
        }
    }

    private async Task RevokeAllApiTokensAsync(AccountsDbContext db, string userId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        foreach (var token in await db.ApiTokens.Where(t => t.UserId == userId && t.RevokedAt == null).ToListAsync(cancellationToken))
        {
            token.RevokedAt = now;
        }
    }

    /// <summary>
    /// Forgets what this replica cached about the user and their API tokens, so the change counts at once here, and tells
    /// the listeners (the gateway closes the user's connections) when sign-ins ended.
    /// </summary>
    private void Revoked(string userId, bool notify = true)
    {
        statusCache.Invalidate(userId);
        apiTokenStatus.InvalidateUser(userId);
        foreach (var cached in tokenCache.Where(c => string.Equals(c.Value.UserId, userId, StringComparison.OrdinalIgnoreCase)).ToList())
        {
            tokenCache.TryRemove(cached.Key, out _);
        }

        if (notify)
        {
            foreach (var listener in revocationListeners)
            {
                listener.Revoked(userId, null);
            }
        }
    }
}
