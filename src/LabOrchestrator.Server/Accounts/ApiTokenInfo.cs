namespace LabOrchestrator.Server.Accounts;

/// <summary>A personal API token as its owner sees it in a list: never the secret.</summary>
public sealed record ApiTokenInfo(string Id, string Name, DateTimeOffset CreatedAt, DateTimeOffset? LastUsedAt, DateTimeOffset? ExpiresAt);
