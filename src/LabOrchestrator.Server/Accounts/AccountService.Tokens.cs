using System.Security.Cryptography;
using LabOrchestrator.Server.Accounts.Persistence;
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
        userId = await db.Users.Where(u => u.Id == userId).Select(u => u.Id).FirstOrDefaultAsync(cancellationToken)
            ?? throw new AccountException($"There is no user '{userId}'.", "userId", StatusCodes.Status404NotFound);

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
        foreach (var cached in tokenCache.Where(c => c.Value.TokenId == tokenId).ToList())
        {
            tokenCache.TryRemove(cached.Key, out _);
        }

        // Access tokens it made and connections it opened end with it.
        apiTokenStatus.Invalidate(tokenId);
        foreach (var listener in revocationListeners)
        {
            listener.Revoked(token.UserId, tokenId);
        }

        return true;
    }

    public async Task<ApiTokenSignIn?> ValidateApiTokenAsync(string secret, CancellationToken cancellationToken = default)
    {
        // Secrets are made of 43 base64url characters; anything far longer is not one, and is not hashed.
        if (!secret.StartsWith(TokenPrefix, StringComparison.Ordinal) || secret.Length > MaxSecretLength)
        {
            return null;
        }

        var hash = HashSecret(secret);
        var now = time.GetUtcNow();
        if (!tokenCache.TryGetValue(hash, out var token) || now - token.ReadAt >= TokenRecheckInterval)
        {
            // Read again now and then, so a token revoked on another replica stops working within the interval.
            await using var db = await contexts.CreateDbContextAsync(cancellationToken);
            var entity = await db.ApiTokens.AsNoTracking().FirstOrDefaultAsync(t => t.SecretHash == hash, cancellationToken);
            if (entity is null || entity.RevokedAt is not null)
            {
                tokenCache.TryRemove(hash, out _);
                return null;
            }

            token = new CachedToken(entity.Id, entity.UserId, entity.ExpiresAt, now, token?.LastUsedWritten ?? entity.LastUsedAt);
            tokenCache[hash] = token;
        }

        if (token.ExpiresAt is { } expires && expires <= now)
        {
            return null;
        }

        // The user's state comes from the same cache cookies use: a disabled or deleted user is out at once here.
        var user = await statusCache.GetAsync(token.UserId, cancellationToken);
        if (user is null || user.User.Disabled)
        {
            return null;
        }

        // "Last used" needs minutes, not every request: write it at most once a minute.
        if (token.LastUsedWritten is not { } written || now - written >= LastUsedResolution)
        {
            tokenCache[hash] = token with { LastUsedWritten = now };
            await using var db = await contexts.CreateDbContextAsync(cancellationToken);
            await db.ApiTokens.Where(t => t.Id == token.TokenId).ExecuteUpdateAsync(u => u.SetProperty(t => t.LastUsedAt, now), cancellationToken);
        }

        return new ApiTokenSignIn(user.User, user.Stamp, token.TokenId, token.ExpiresAt);
    }

    private const int MaxSecretLength = 200;
    private static readonly TimeSpan TokenRecheckInterval = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan LastUsedResolution = TimeSpan.FromMinutes(1);

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, CachedToken> tokenCache = new(StringComparer.Ordinal);

    private sealed record CachedToken(string TokenId, string UserId, DateTimeOffset? ExpiresAt, DateTimeOffset ReadAt, DateTimeOffset? LastUsedWritten);
}
