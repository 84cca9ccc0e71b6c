using System.Collections.Concurrent;
using LabOrchestrator.Server.Accounts.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace LabOrchestrator.Server.Accounts;

/// <summary>
/// Whether a personal API token (by id) is live, for access tokens and gateway connections it opened; read again after
/// <see cref="AuthOptions.UserCheckInterval"/>, invalidated at once when this replica revokes the token.
/// </summary>
internal sealed class ApiTokenStatusCache(IDbContextFactory<AccountsDbContext> contexts, IOptions<AuthOptions> options, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, (string? UserId, DateTimeOffset? ExpiresAt, DateTimeOffset ReadAt)> entries = new(StringComparer.Ordinal);

    /// <summary>True when the token exists, belongs to <paramref name="userId"/>, is not revoked and has not expired.</summary>
    public async Task<bool> IsLiveAsync(string tokenId, string userId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (!entries.TryGetValue(tokenId, out var entry) || now - entry.ReadAt >= options.Value.UserCheckInterval)
        {
            await using var db = await contexts.CreateDbContextAsync(cancellationToken);
            var token = await db.ApiTokens.AsNoTracking().Where(t => t.Id == tokenId && t.RevokedAt == null)
                .Select(t => new { t.UserId, t.ExpiresAt }).FirstOrDefaultAsync(cancellationToken);
            entry = (token?.UserId, token?.ExpiresAt, now);
            entries[tokenId] = entry;
        }

        return entry.UserId is not null
            && string.Equals(entry.UserId, userId, StringComparison.OrdinalIgnoreCase)
            && (entry.ExpiresAt is not { } expires || expires > now);
    }

    public void Invalidate(string tokenId) => entries.TryRemove(tokenId, out _);

    public void InvalidateUser(string userId)
    {
        foreach (var (id, entry) in entries)
        {
            if (string.Equals(entry.UserId, userId, StringComparison.OrdinalIgnoreCase))
            {
                entries.TryRemove(id, out _);
            }
        }
    }
}
