using LabOrchestrator.Server.Gateway;
using LabOrchestrator.Server.Sessions;
using LabOrchestrator.Sessions;

namespace LabOrchestrator.Server.Lifecycle;

/// <summary>
/// Stops a session the same way whoever asks (a learner, an instructor, the reaper): its connections close first, then a
/// start in flight lets go, then the engine removes everything; followers see Stopping and then Stopped with the reason.
/// </summary>
internal sealed class SessionStopper(ISessionService sessions, SessionRunner runner, SessionLifetimes lifetimes, SessionEventHub hub, SessionActivity activity)
{
    public async Task<Session> StopAsync(Session session, SessionStop stop)
    {
        using (SessionTracing.Begin("stop.close_connections", session.Id))
        {
            await lifetimes.NotifyStoppingAsync(session.Id);
        }

        // Followers see who is stopping it and why from the first Stopping event on (the first stop's reason is kept).
        hub.Publish(session.StopReason is null
            ? session with { State = SessionState.Stopping, StopReason = stop.Reason, StoppedBy = stop.By }
            : session with { State = SessionState.Stopping });
        using (SessionTracing.Begin("stop.cancel_start", session.Id))
        {
            await runner.CancelAsync(session.Id, CancellationToken.None);
        }

        var stopped = await sessions.StopAsync(session.Id, stop, CancellationToken.None);
        activity.Forget(session.Id);
        hub.Publish(stopped);
        return stopped;
    }

    /// <summary>Closes the session's consoles at once when it pauses, with a close code the web app explains.</summary>
    public static void ClosePausedConnections(GatewayConnections connections, string sessionId) =>
        connections.CloseSession(sessionId, GatewayClose.SessionPaused);
}
