namespace LabOrchestrator.Server.Accounts.Persistence;

/// <summary>A personal API token. Only a hash of the secret is kept; the secret is shown once, when made.</summary>
internal sealed class ApiTokenEntity
{
    public required string Id { get; set; }
    public required string UserId { get; set; }
    public required string Name { get; set; }
    /// <summary>SHA-256 of the secret, hex.</summary>
    public required string SecretHash { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? ExpiresAt { get; set; }
    public DateTimeOffset? LastUsedAt { get; set; }
    public DateTimeOffset? RevokedAt { get; set; }
}
