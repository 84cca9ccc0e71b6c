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
    public List<SessionEntity> Sessions { get; set; } = [];
}
