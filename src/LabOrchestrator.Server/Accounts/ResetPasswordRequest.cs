namespace LabOrchestrator.Server.Accounts;

/// <summary>Body of POST /api/users/{id}/password: the user's new password, set by an admin.</summary>
public sealed record ResetPasswordRequest(string? Password);
