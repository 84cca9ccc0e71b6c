namespace LabOrchestrator.Server.Accounts;

/// <summary>Body of POST /api/users; role is admin, instructor or learner.</summary>
public sealed record CreateUserRequest(string? Id, string? DisplayName, string? Password, string? Role);
