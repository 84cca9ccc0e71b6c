using System.Security.Cryptography;
using System.Text;
using LabOrchestrator.Persistence;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace LabOrchestrator.Server.Accounts;

internal sealed class AccountService(
    IDbContextFactory<LabOrchestratorDbContext> contexts,
    IPasswordHasher<AccountUser> hasher,
    TimeProvider time) : IAccountService
{
    /// <summary>Personal API tokens start with this, so that secret scanners and people can recognise them.</summary>
    public const string TokenPrefix = "lot_";
    public const int MinimumPasswordLength = 8;

    public async Task<AccountUser> CreateUserAsync(string id, string? displayName, string password, string role, CancellationToken cancellationToken = default)
    {
        AccountRules.EnsureUserId(id);
        AccountRules.EnsurePassword(password);
        AccountRules.EnsureRole(role);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var existing = await db.Users.FirstOrDefaultAsync(u => u.Id == id, cancellationToken);
        if (existing?.PasswordHash is not null)
        {
            throw new AccountException($"A user '{id}' already exists.", "id", StatusCodes.Status409Conflict);
        }

        // A user known only from library sessions (no password yet) becomes a full account.
        var entity = existing ?? new UserEntity { Id = id, CreatedAt = time.GetUtcNow() };
        entity.DisplayName = displayName ?? entity.DisplayName;
        entity.Role = role;
        entity.PasswordHash = hasher.HashPassword(ToUser(entity), password);
        entity.UpdatedAt = time.GetUtcNow();
        if (existing is null)
        {
            db.Users.Add(entity);
        }

        await db.SaveChangesAsync(cancellationToken);
        return ToUser(entity);
    }

    public async Task<AccountUser?> GetUserAsync(string id, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var entity = await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Id == id, cancellationToken);
        return entity is null ? null : ToUser(entity);
    }

    public async Task<AccountUser?> VerifyPasswordAsync(string id, string password, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var entity = await db.Users.FirstOrDefaultAsync(u => u.Id == id, cancellationToken);
        if (entity?.PasswordHash is null || entity.Disabled)
        {
            return null;
        }

        var user = ToUser(entity);
        var result = hasher.VerifyHashedPassword(user, entity.PasswordHash, password);
        if (result == PasswordVerificationResult.Failed)
        {
            return null;
        }

        if (result == PasswordVerificationResult.SuccessRehashNeeded)
        {
            entity.PasswordHash = hasher.HashPassword(user, password);
            await db.SaveChangesAsync(cancellationToken);
        }

        return user;
    }

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

    internal static string HashSecret(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    internal static AccountUser ToUser(UserEntity entity) => new(entity.Id, entity.DisplayName, entity.Role, entity.Disabled, entity.CreatedAt);
}
