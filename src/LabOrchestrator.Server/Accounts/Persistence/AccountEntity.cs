namespace LabOrchestrator.Server.Accounts.Persistence;

/// <summary>
/// A user's row as the server's accounts see it. The `users` table belongs to the library (sessions refer to it and it
/// makes users on their first session), so this context maps it without migrating it.
/// </summary>
internal sealed class AccountEntity
{
    public required string Id { get; set; }
    public string? DisplayName { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    /// <summary>admin, instructor or learner.</summary>
    public string Role { get; set; } = Roles.Learner;
    /// <summary>ASP.NET Core Identity password hash; null for users who cannot log in with a password.</summary>
    public string? PasswordHash { get; set; }
    public bool Disabled { get; set; }
    public DateTimeOffset? UpdatedAt { get; set; }
    /// <summary>
    /// Random per user row, replaced whenever the user's sign-ins must end (logout, password change or reset, disable,
    /// role change). Login cookies and access tokens carry the stamp they were made with and stop working when it differs.
    /// </summary>
    public string SecurityStamp { get; set; } = NewSecurityStamp();

    public static string NewSecurityStamp() => Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));
}
