using System.Security.Cryptography;
using LabOrchestrator.Persistence;
using Microsoft.EntityFrameworkCore;

namespace LabOrchestrator.Server.Accounts;

internal sealed partial class AccountService
{
    public async Task<ApiTokenCreated> CreateApiTokenAsync(string userId, string name, DateTimeOffset? expiresAt = null, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(name) || name.Length > 100)
        {
            throw new AccountException("A token needs a name of 1 to 100 characters, saying what uses it.", "name");
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        if (!await db.Users.AnyAsync(u => u.Id == userId, cancellationToken))
        {
            throw new AccountException($"There is no user '{userId}'.", "userId", StatusCodes.Status404NotFound);
        }

        var secret = TokenPrefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var entity = new ApiTokenEntity
        {
            Id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8)),
            UserId = userId,
            Name = name,
            SecretHash = HashSecret(secret),
            CreatedAt = time.GetUtcNow(),
            ExpiresAt = expiresAt,
        };
        db.ApiTokens.Add(entity);
        await db.SaveChangesAsync(cancellationToken);
        return new ApiTokenCreated(entity.Id, entity.Name, secret, entity.CreatedAt, entity.ExpiresAt);
    }

    public async Task<IReadOnlyList<ApiTokenInfo>> ListApiTokensAsync(string userId, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var tokens = await db.ApiTokens.AsNoTracking().Where(t => t.UserId == userId && t.RevokedAt == null).ToListAsync(cancellationToken);

        // SQLite cannot order by DateTimeOffset, so order here; a user has few tokens.
        return tokens.OrderByDescending(t => t.CreatedAt).Select(t => new ApiTokenInfo(t.Id, t.Name, t.CreatedAt, t.LastUsedAt, t.ExpiresAt)).ToList();
    }

    public async Task<bool> RevokeApiTokenAsync(string userId, string tokenId, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var token = await db.ApiTokens.FirstOrDefaultAsync(t => t.Id == tokenId && t.UserId == userId && t.RevokedAt == null, cancellationToken);
        if (token is null)
        {
            return false;
        }

        token.RevokedAt = time.GetUtcNow();
        await db.SaveChangesAsync(cancellationToken);
        return true;
    }

    public async Task<AccountUser?> ValidateApiTokenAsync(string secret, CancellationToken cancellationToken = default)
    {
        if (!secret.StartsWith(TokenPrefix, StringComparison.Ordinal))
        {
            return null;
        }

        var hash = HashSecret(secret);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var token = await db.ApiTokens.FirstOrDefaultAsync(t => t.SecretHash == hash, cancellationToken);
        var now = time.GetUtcNow();
        if (token is null || token.RevokedAt is not null || (token.ExpiresAt is { } expires && expires <= now))
        {
            return null;
        }

        var user = await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Id == token.UserId, cancellationToken);
        if (user is null || user.Disabled)
        {
            return null;
        }

        token.LastUsedAt = now;
        await db.SaveChangesAsync(cancellationToken);
        return ToUser(user);
    }
}
