namespace LabOrchestrator.Persistence;

internal sealed class UserEntity
{
    public required string Id { get; set; }
    public string? DisplayName { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    /// <summary>admin, instructor or learner; users known only from sessions started through the library are learners.</summary>
    public string Role { get; set; } = "learner";
    /// <summary>ASP.NET Core Identity password hash; null for users who cannot log in with a password.</summary>
    public string? PasswordHash { get; set; }
    public bool Disabled { get; set; }
    public DateTimeOffset? UpdatedAt { get; set; }
    /// <summary>
    /// Random per user row, replaced whenever the user's sign-ins must end (logout, password change or reset, disable,
    /// role change). Login cookies and access tokens carry the stamp they were made with and stop working when it differs;
    /// a user deleted and made again under the same id gets a new one, so old cookies never come back to life.
    /// </summary>
    public string SecurityStamp { get; set; } = NewSecurityStamp();
    public List<SessionEntity> Sessions { get; set; } = [];

    public static string NewSecurityStamp() => Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));
}
