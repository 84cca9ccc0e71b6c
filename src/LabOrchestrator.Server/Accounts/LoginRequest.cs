namespace LabOrchestrator.Server.Accounts;

/// <summary>Body of POST /api/auth/login.</summary>
public sealed record LoginRequest(string? UserId, string? Password);
