namespace LabOrchestrator.Server.Accounts;

/// <summary>Body of PATCH /api/users/{id}; absent fields stay as they are.</summary>
public sealed record UpdateUserRequest(string? DisplayName, string? Role, bool? Disabled);
