namespace LabOrchestrator.Server.Accounts;

/// <summary>Body of PATCH /api/me; an empty display name clears it.</summary>
public sealed record UpdateProfileRequest(string? DisplayName);
