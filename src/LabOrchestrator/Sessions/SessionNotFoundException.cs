namespace LabOrchestrator.Sessions;

public sealed class SessionNotFoundException(string sessionId)
    : KeyNotFoundException($"There is no session '{sessionId}'. List sessions with 'labctl session list'.")
{
    public string SessionId { get; } = sessionId;
}
