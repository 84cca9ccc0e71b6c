namespace LabOrchestrator.Sessions;

/// <summary>
/// A pause, resume or extension that the session's state or its lab's limits do not allow. <see cref="Code"/> names the
/// rule for scripts ("no-extensions-left", "no-time-limit", "not-running", "not-paused").
/// </summary>
public sealed class SessionLifecycleException(string sessionId, string code, string title, string message) : InvalidOperationException(message)
{
    public string SessionId { get; } = sessionId;
    public string Code { get; } = code;
    public string Title { get; } = title;
}
