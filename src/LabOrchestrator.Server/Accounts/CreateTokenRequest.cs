namespace LabOrchestrator.Server.Accounts;

/// <summary>Body of POST /api/me/tokens; without <see cref="ExpiresInDays"/> the token lives until revoked.</summary>
public sealed record CreateTokenRequest(string? Name, int? ExpiresInDays);
