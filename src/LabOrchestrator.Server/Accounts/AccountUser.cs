namespace LabOrchestrator.Server.Accounts;

/// <summary>A user of the server as the API shows it (never with a password hash).</summary>
public sealed record AccountUser(string Id, string? DisplayName, string Role, bool Disabled, DateTimeOffset CreatedAt);
