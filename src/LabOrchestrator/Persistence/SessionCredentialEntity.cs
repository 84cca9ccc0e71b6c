namespace LabOrchestrator.Persistence;

internal sealed class SessionCredentialEntity
{
    public required string SessionId { get; set; }
    public required string Node { get; set; }
    public required string Name { get; set; }
    public required string Username { get; set; }
    public required string Password { get; set; }
}
