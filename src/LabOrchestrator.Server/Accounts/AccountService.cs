using System.Security.Cryptography;
using System.Text;
using LabOrchestrator.Persistence;
using LabOrchestrator.Sessions;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace LabOrchestrator.Server.Accounts;

/// <summary>Users and passwords here; personal API tokens in AccountService.Tokens.cs.</summary>
internal sealed partial class AccountService(
    IDbContextFactory<LabOrchestratorDbContext> contexts,
    IPasswordHasher<AccountUser> hasher,
    UserStatusCache statusCache,
    TimeProvider time) : IAccountService
{
    /// <summary>Personal API tokens start with this, so that secret scanners and people can recognise them.</summary>
    public const string TokenPrefix = "lot_";
    public const int MinimumPasswordLength = 8;

    private static readonly AccountUser TimingUser = new("-", null, Roles.Learner, false, DateTimeOffset.UnixEpoch);
    private readonly Lazy<string> timingHash = new(() => hasher.HashPassword(TimingUser, Convert.ToHexString(RandomNumberGenerator.GetBytes(16))));

    public async Task<AccountUser> CreateUserAsync(string id, string? displayName, string password, string role, CancellationToken cancellationToken = default)
    {
        AccountRules.EnsureUserId(id);
        AccountRules.EnsurePassword(password);
        AccountRules.EnsureRole(role);
        displayName = AccountRules.NormalizeDisplayName(displayName);
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
        statusCache.Invalidate(id);
        return ToUser(entity);
    }

    public async Task<AccountUser?> GetUserAsync(string id, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var entity = await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Id == id, cancellationToken);
        return entity is null ? null : ToUser(entity);
    }

    public async Task<IReadOnlyList<AccountUser>> ListUsersAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var users = await db.Users.AsNoTracking().OrderBy(u => u.Id).ToListAsync(cancellationToken);
        return users.Select(ToUser).ToList();
    }

    public async Task<AccountUser> UpdateUserAsync(string id, UserUpdate update, CancellationToken cancellationToken = default)
    {
        if (update.Role is not null)
        {
            AccountRules.EnsureRole(update.Role);
        }

        var displayName = AccountRules.NormalizeDisplayName(update.DisplayName);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var entity = await FindAsync(db, id, cancellationToken);
        if (update.DisplayName is not null)
        {
            entity.DisplayName = displayName;
        }

        entity.Role = update.Role ?? entity.Role;
        entity.Disabled = update.Disabled ?? entity.Disabled;
        entity.UpdatedAt = time.GetUtcNow();
        await db.SaveChangesAsync(cancellationToken);
        statusCache.Invalidate(id);
        return ToUser(entity);
    }

    public async Task SetPasswordAsync(string id, string newPassword, string field = "password", CancellationToken cancellationToken = default)
    {
        AccountRules.EnsurePassword(newPassword, field);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var entity = await FindAsync(db, id, cancellationToken);
        entity.PasswordHash = hasher.HashPassword(ToUser(entity), newPassword);
        entity.UpdatedAt = time.GetUtcNow();
        await db.SaveChangesAsync(cancellationToken);
    }

    public async Task ChangePasswordAsync(string id, string currentPassword, string newPassword, CancellationToken cancellationToken = default)
    {
        if (await VerifyPasswordAsync(id, currentPassword, cancellationToken) is null)
        {
            throw new AccountException("The current password is wrong.", "currentPassword");
        }

        if (currentPassword == newPassword)
        {
            throw new AccountException("The new password must differ from the current one.", "newPassword");
        }

        await SetPasswordAsync(id, newPassword, "newPassword", cancellationToken);
    }

    public async Task DeleteUserAsync(string id, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var entity = await FindAsync(db, id, cancellationToken);
        var active = await db.Sessions.Where(s => s.UserId == id && s.State != SessionState.Stopped).Select(s => s.Id).ToListAsync(cancellationToken);
        if (active.Count > 0)
        {
            throw new AccountException(
                $"User '{id}' still has {active.Count} session(s) that are not stopped ({string.Join(", ", active)}); stop them first (POST /api/sessions/{{id}}/stop), or disable the user instead.",
                statusCode: StatusCodes.Status409Conflict);
        }

        // Their API tokens and stopped sessions go with them (cascade); the audit log keeps their id.
        db.Users.Remove(entity);
        await db.SaveChangesAsync(cancellationToken);
        statusCache.Invalidate(id);
    }

    public async Task<AccountUser?> VerifyPasswordAsync(string id, string password, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var entity = await db.Users.FirstOrDefaultAsync(u => u.Id == id, cancellationToken);
        if (entity?.PasswordHash is null || entity.Disabled)
        {
            // Hash anyway, so that the answer takes as long for an unknown user as for a wrong password.
            hasher.VerifyHashedPassword(TimingUser, timingHash.Value, password);
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

    internal static string HashSecret(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    internal static AccountUser ToUser(UserEntity entity) => new(entity.Id, entity.DisplayName, entity.Role, entity.Disabled, entity.CreatedAt);

    private static async Task<UserEntity> FindAsync(LabOrchestratorDbContext db, string id, CancellationToken cancellationToken) =>
        await db.Users.FirstOrDefaultAsync(u => u.Id == id, cancellationToken)
            ?? throw new AccountException($"There is no user '{id}'.", statusCode: StatusCodes.Status404NotFound);
}
