namespace LabOrchestrator.Sessions;

public sealed class SavedSessionNotFoundException(string savedId)
    : KeyNotFoundException($"There is no saved session '{savedId}'. List saved sessions with 'labctl session saved'.")
{
    public string SavedId { get; } = savedId;
}
