namespace LabOrchestrator.Sessions;

public sealed class InvalidSessionStateException(string sessionId, SessionState from, SessionState to)
    : InvalidOperationException($"Session '{sessionId}' is {from} and cannot become {to}.")
{
    public string SessionId { get; } = sessionId;
    public SessionState From { get; } = from;
    public SessionState To { get; } = to;
}
