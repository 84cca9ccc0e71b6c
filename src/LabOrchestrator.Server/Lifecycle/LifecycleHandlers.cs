using System.Security.Claims;
using LabOrchestrator.Engines;
using LabOrchestrator.Server.Accounts;
using LabOrchestrator.Server.Gateway;
using LabOrchestrator.Server.Labs;
using LabOrchestrator.Server.Sessions;
using LabOrchestrator.Sessions;

namespace LabOrchestrator.Server.Lifecycle;

internal static class LifecycleHandlers
{
    public static async Task<IResult> PauseAsync(
        string id, ClaimsPrincipal user, ISessionService sessions, SessionEventHub hub, SessionActivity activity, GatewayConnections connections, TimeProvider time, CancellationToken cancellationToken)
    {
        await VisibleAndActiveAsync(id, user, sessions, activity, cancellationToken);
        var paused = await EngineCallAsync(() => sessions.PauseAsync(id, cancellationToken), "paused");
        SessionStopper.ClosePausedConnections(connections, id);
        hub.Publish(paused);
        return TypedResults.Ok(SessionResponse.From(paused, time, user.IsInstructorOrAdmin()));
    }

    public static async Task<IResult> ResumeAsync(
        string id, ClaimsPrincipal user, ISessionService sessions, SessionEventHub hub, SessionActivity activity, TimeProvider time, CancellationToken cancellationToken)
    {
        await VisibleAndActiveAsync(id, user, sessions, activity, cancellationToken);
        var resumed = await EngineCallAsync(() => sessions.ResumeAsync(id, cancellationToken), "resumed");
        hub.Publish(resumed);
        return TypedResults.Ok(SessionResponse.From(resumed, time, user.IsInstructorOrAdmin()));
    }

    public static async Task<IResult> ExtendAsync(
        string id, ClaimsPrincipal user, ISessionService sessions, SessionEventHub hub, SessionActivity activity, TimeProvider time, CancellationToken cancellationToken)
    {
        await VisibleAndActiveAsync(id, user, sessions, activity, cancellationToken);
        var extended = await sessions.ExtendAsync(id, cancellationToken);
        hub.Publish(extended);
        return TypedResults.Ok(SessionResponse.From(extended, time, user.IsInstructorOrAdmin()));
    }

    public static async Task<IResult> ActivityAsync(string id, ClaimsPrincipal user, ISessionService sessions, SessionActivity activity, CancellationToken cancellationToken)
    {
        await VisibleAndActiveAsync(id, user, sessions, activity, cancellationToken);
        return TypedResults.NoContent();
    }

    /// <summary>The session, if the caller may see it; a call by its owner counts as activity (an instructor's does not).</summary>
    private static async Task<Session> VisibleAndActiveAsync(string id, ClaimsPrincipal user, ISessionService sessions, SessionActivity activity, CancellationToken cancellationToken)
    {
        var session = await SessionHandlers.GetVisibleAsync(id, user, sessions, cancellationToken);
        if (session.UserId == user.GetUserId() && session.State is SessionState.Running or SessionState.Paused)
        {
            activity.Record(id);
        }

        return session;
    }

    /// <summary>Engine failures become a 502 in plain words; the engine's own text goes to the log, never to learners.</summary>
    private static async Task<Session> EngineCallAsync(Func<Task<Session>> call, string what)
    {
        try
        {
            return await call();
        }
        catch (EngineException)
        {
            throw new RequestProblemException(StatusCodes.Status502BadGateway, "Engine error",
                $"The session could not be {what}: its machines did not answer. Try again, or stop the session and start a new one.");
        }
    }
}
