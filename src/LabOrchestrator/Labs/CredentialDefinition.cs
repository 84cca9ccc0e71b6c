namespace LabOrchestrator.Labs;

/// <summary>A login shown to the learner. <see cref="GeneratePassword"/> asks for a random password per session.</summary>
public sealed record CredentialDefinition
{
    public required string Name { get; init; }
    public required string Username { get; init; }
    public string? Password { get; init; }
    public bool GeneratePassword { get; init; }
}
