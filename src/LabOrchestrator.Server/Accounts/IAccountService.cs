namespace LabOrchestrator.Server.Accounts;

/// <summary>Users who can log in, their roles, passwords and personal API tokens.</summary>
public interface IAccountService
{
    /// <summary>Creates a user; throws <see cref="AccountException"/> when the id is taken or a value is invalid.</summary>
    Task<AccountUser> CreateUserAsync(string id, string? displayName, string password, string role, CancellationToken cancellationToken = default);

    /// <summary>The user with this id in any case (ids ignore case), or null.</summary>
    Task<AccountUser?> GetUserAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>The user with their current security stamp, read from the database (for a new login cookie).</summary>
    Task<UserSignIn?> GetSignInAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>
    /// Ends every login cookie of the user and every access token they made (their security stamp changes), and closes their
    /// gateway connections; their personal API tokens stay. Logout calls it.
    /// </summary>
    Task RevokeSignInsAsync(string userId, CancellationToken cancellationToken = default);

    /// <summary>All users, ordered by id.</summary>
    Task<IReadOnlyList<AccountUser>> ListUsersAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Changes display name, role or disabled flag; throws a 404 <see cref="AccountException"/> for an unknown user.
    /// Disabling ends every sign-in and revokes the user's API tokens; lowering the role ends every sign-in.
    /// </summary>
    Task<AccountUser> UpdateUserAsync(string id, UserUpdate update, CancellationToken cancellationToken = default);

    /// <summary>Sets a new password without knowing the old one (an admin's reset); ends every sign-in and revokes the user's API tokens.</summary>
    Task SetPasswordAsync(string id, string newPassword, string field = "password", CancellationToken cancellationToken = default);

    /// <summary>
    /// Changes a user's own password; a wrong current password is a 400 on field <c>currentPassword</c>. Like a reset, it
    /// ends every sign-in and revokes the user's API tokens.
    /// </summary>
    Task ChangePasswordAsync(string id, string currentPassword, string newPassword, CancellationToken cancellationToken = default);

    /// <summary>
    /// Deletes a user with their API tokens and their stopped sessions. Refused (409) while they have a session that is not stopped,
    /// because its containers would be left without an owner.
    /// </summary>
    Task DeleteUserAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>The user when the password is right and the user is enabled; otherwise null (no hint which was wrong).</summary>
    Task<AccountUser?> VerifyPasswordAsync(string id, string password, CancellationToken cancellationToken = default);

    Task<ApiTokenCreated> CreateApiTokenAsync(string userId, string name, DateTimeOffset? expiresAt = null, CancellationToken cancellationToken = default);

    /// <summary>The user's tokens that are not revoked (expired ones included, so they can be seen and removed), newest first.</summary>
    Task<IReadOnlyList<ApiTokenInfo>> ListApiTokensAsync(string userId, CancellationToken cancellationToken = default);

    /// <summary>Revokes one of the user's tokens; false when the user has no such live token.</summary>
    Task<bool> RevokeApiTokenAsync(string userId, string tokenId, CancellationToken cancellationToken = default);

    /// <summary>The token's user, stamp and token when the secret is a live token of an enabled user; otherwise null.</summary>
    Task<ApiTokenSignIn?> ValidateApiTokenAsync(string secret, CancellationToken cancellationToken = default);
}
