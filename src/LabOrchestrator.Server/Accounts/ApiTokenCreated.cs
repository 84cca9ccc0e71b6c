namespace LabOrchestrator.Server.Accounts;

/// <summary>A new personal API token; <see cref="Secret"/> is shown this once and never stored.</summary>
public sealed record ApiTokenCreated(string Id, string Name, string Secret, DateTimeOffset CreatedAt, DateTimeOffset? ExpiresAt);
