namespace LabOrchestrator.Persistence;

internal sealed class UserEntity
{
    public required string Id { get; set; }
    public string? DisplayName { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public List<SessionEntity> Sessions { get; set; } = [];
}
