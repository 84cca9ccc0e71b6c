namespace LabOrchestrator.Users;

/// <summary>Who a session belongs to: an id from the caller's user system and a name to show.</summary>
public sealed record UserRef(string Id, string? DisplayName = null);
