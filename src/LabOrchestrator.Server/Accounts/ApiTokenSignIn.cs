namespace LabOrchestrator.Server.Accounts;

/// <summary>A live personal API token of an enabled user: who, at which security stamp, which token and until when.</summary>
public sealed record ApiTokenSignIn(AccountUser User, string Stamp, string TokenId, DateTimeOffset? ExpiresAt);
