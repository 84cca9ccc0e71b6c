using System.Security.Cryptography;
using System.Text;
using LabOrchestrator.Server.Accounts.Persistence;
using LabOrchestrator.Sessions;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace LabOrchestrator.Server.Accounts;

/// <summary>Users and passwords here; personal API tokens in AccountService.Tokens.cs; ending sign-ins in AccountService.Revocation.cs.</summary>
internal sealed partial class AccountService(
    IDbContextFactory<AccountsDbContext> contexts,
    ISessionService sessions,
    IPasswordHasher<AccountUser> hasher,
    UserStatusCache statusCache,
    ApiTokenStatusCache apiTokenStatus,
    IEnumerable<ISignInRevocationListener> revocationListeners,
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
        // The id column ignores case, so "ADMIN" finds "admin".
        var existing = await db.Users.FirstOrDefaultAsync(u => u.Id == id, cancellationToken);
        if (existing?.PasswordHash is not null)
        {
            var sameCase = existing.Id == id ? "" : $" (ids ignore case: '{existing.Id}')";
            throw new AccountException($"A user '{id}' already exists{sameCase}.", "id", StatusCodes.Status409Conflict);
        }

        // A user known only from library sessions (no password yet) becomes a full account, with a fresh stamp.
        var entity = existing ?? new AccountEntity { Id = id, CreatedAt = time.GetUtcNow() };
        entity.DisplayName = displayName ?? entity.DisplayName;
        entity.Role = role;
        entity.PasswordHash = hasher.HashPassword(ToUser(entity), password);
        entity.SecurityStamp = AccountEntity.NewSecurityStamp();
        entity.UpdatedAt = time.GetUtcNow();
        if (existing is null)
        {
            db.Users.Add(entity);
        }

        await db.SaveChangesAsync(cancellationToken);
        Revoked(entity.Id);
        return ToUser(entity);
    }

    public async Task<AccountUser?> GetUserAsync(string id, CancellationToken cancellationToken = default) =>
        (await GetSignInAsync(id, cancellationToken))?.User;

    public async Task<UserSignIn?> GetSignInAsync(string id, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var entity = await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Id == id, cancellationToken);
        return entity is null ? null : new UserSignIn(ToUser(entity), entity.SecurityStamp);
    }

    public async Task<IReadOnlyList<AccountUser>> ListUsersAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var users = await db.Users.AsNoTracking().Where(u => u.Id != LabOrchestrator.Pools.PoolOwner.UserId).OrderBy(u => u.Id).ToListAsync(cancellationToken);
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

        // Disabling or demoting ends every sign-in: watch-only access tokens an instructor made must not outlive the role.
        var disabling = update.Disabled == true && !entity.Disabled;
        var demoting = update.Role is not null && Roles.Rank(update.Role) < Roles.Rank(entity.Role);
        entity.Role = update.Role ?? entity.Role;
        entity.Disabled = update.Disabled ?? entity.Disabled;
        entity.UpdatedAt = time.GetUtcNow();
        if (disabling || demoting)
        {
            entity.SecurityStamp = AccountEntity.NewSecurityStamp();
        }

        if (disabling)
        {
            // Re-enabling must not bring back tokens that may have leaked meanwhile: the user makes new ones.
            await RevokeAllApiTokensAsync(db, entity.Id, cancellationToken);
        }

        await db.SaveChangesAsync(cancellationToken);
        Revoked(entity.Id, notify: disabling || demoting);
        return ToUser(entity);
    }

    public async Task SetPasswordAsync(string id, string newPassword, string field = "password", CancellationToken cancellationToken = default)
    {
        AccountRules.EnsurePassword(newPassword, field);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var entity = await FindAsync(db, id, cancellationToken);
        entity.PasswordHash = hasher.HashPassword(ToUser(entity), newPassword);
        entity.UpdatedAt = time.GetUtcNow();

        // A new password (own change or an admin's reset) often follows a suspected leak: end every cookie, API token and
        // access token made with the old one, which an intruder may hold.
        entity.SecurityStamp = AccountEntity.NewSecurityStamp();
        await RevokeAllApiTokensAsync(db, entity.Id, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        Revoked(entity.Id);
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
        var active = (await sessions.ListAsync(new SessionQuery { UserId = entity.Id, ActiveOnly = true }, cancellationToken)).Select(s => s.Id).ToList();
        if (active.Count > 0)
        {
            throw new AccountException(
                $"User '{entity.Id}' still has {active.Count} session(s) that are not stopped ({string.Join(", ", active)}); stop them first (POST /api/sessions/{{id}}/stop), or disable the user instead.",
                statusCode: StatusCodes.Status409Conflict);
        }

        // Their API tokens and stopped sessions go with them (the database's cascades); the audit log keeps their id.
        db.Users.Remove(entity);
        await db.SaveChangesAsync(cancellationToken);
        Revoked(entity.Id);
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

    internal static AccountUser ToUser(AccountEntity entity) => new(entity.Id, entity.DisplayName, entity.Role, entity.Disabled, entity.CreatedAt);

    private static async Task<AccountEntity> FindAsync(AccountsDbContext db, string id, CancellationToken cancellationToken) =>
        await db.Users.FirstOrDefaultAsync(u => u.Id == id, cancellationToken)
            ?? throw new AccountException($"There is no user '{id}'.", statusCode: StatusCodes.Status404NotFound);
}
