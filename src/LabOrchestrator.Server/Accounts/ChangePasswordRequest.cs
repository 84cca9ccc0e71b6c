namespace LabOrchestrator.Server.Accounts;

/// <summary>Body of POST /api/me/password.</summary>
public sealed record ChangePasswordRequest(string? CurrentPassword, string? NewPassword);
