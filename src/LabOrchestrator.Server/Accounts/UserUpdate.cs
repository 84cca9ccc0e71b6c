namespace LabOrchestrator.Server.Accounts;

/// <summary>Changes to a user; a null property stays as it is. An empty display name clears it.</summary>
public sealed record UserUpdate
{
    public string? DisplayName { get; init; }
    public string? Role { get; init; }
    public bool? Disabled { get; init; }
}
