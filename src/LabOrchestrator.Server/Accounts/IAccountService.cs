namespace LabOrchestrator.Server.Accounts;

/// <summary>Users who can log in, their roles, passwords and personal API tokens.</summary>
public interface IAccountService
{
    /// <summary>Creates a user; throws <see cref="AccountException"/> when the id is taken or a value is invalid.</summary>
    Task<AccountUser> CreateUserAsync(string id, string? displayName, string password, string role, CancellationToken cancellationToken = default);

    Task<AccountUser?> GetUserAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>The user when the password is right and the user is enabled; otherwise null (no hint which was wrong).</summary>
    Task<AccountUser?> VerifyPasswordAsync(string id, string password, CancellationToken cancellationToken = default);

    Task<ApiTokenCreated> CreateApiTokenAsync(string userId, string name, DateTimeOffset? expiresAt = null, CancellationToken cancellationToken = default);

    /// <summary>The token's user when the secret is a live token of an enabled user; otherwise null.</summary>
    Task<AccountUser?> ValidateApiTokenAsync(string secret, CancellationToken cancellationToken = default);
}
