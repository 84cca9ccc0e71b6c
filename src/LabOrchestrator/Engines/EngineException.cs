namespace LabOrchestrator.Engines;

/// <summary>
/// An engine could not do what was asked. The message is the engine's detail, for admins, instructors and the log;
/// learners get a plain sentence instead (<see cref="Sessions.SessionFailure"/>).
/// </summary>
public sealed class EngineException : Exception
{
    public EngineException(string message) : base(message) { }
    public EngineException(string message, Exception inner) : base(message, inner) { }

    /// <summary>
    /// Set when the cause is the host, not the lab or the learner (a missing package, a broken engine service, a full
    /// disk, a missing image): what an admin must do about it. labctl doctor finds the same problems before a session does.
    /// </summary>
    public string? HostFix { get; init; }
}
