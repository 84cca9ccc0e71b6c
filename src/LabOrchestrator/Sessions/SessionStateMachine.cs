namespace LabOrchestrator.Sessions;

/// <summary>The transitions a session may take. Stopped is final; a failed session can still be stopped to clean up.</summary>
public static class SessionStateMachine
{
    private static readonly Dictionary<SessionState, SessionState[]> Allowed = new()
    {
        [SessionState.Pending] = [SessionState.Starting, SessionState.Stopping, SessionState.Failed],
        [SessionState.Starting] = [SessionState.Running, SessionState.Stopping, SessionState.Failed],
        [SessionState.Running] = [SessionState.Stopping, SessionState.Failed, SessionState.Paused],
        [SessionState.Paused] = [SessionState.Running, SessionState.Stopping, SessionState.Failed],
        [SessionState.Stopping] = [SessionState.Stopped, SessionState.Failed],
        [SessionState.Failed] = [SessionState.Stopping],
        [SessionState.Stopped] = [],
    };

    public static bool CanTransition(SessionState from, SessionState to) => Allowed[from].Contains(to);

    /// <summary>True while the session may hold engine resources.</summary>
    public static bool IsActive(SessionState state) => state is not SessionState.Stopped;

    public static void EnsureTransition(string sessionId, SessionState from, SessionState to)
    {
        if (!CanTransition(from, to))
        {
            throw new InvalidSessionStateException(sessionId, from, to);
        }
    }
}
