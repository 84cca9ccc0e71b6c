using System.Security.Claims;
using LabOrchestrator.Server.Accounts;
using LabOrchestrator.Server.Audit;
using LabOrchestrator.Server.Guides;
using LabOrchestrator.Server.Labs;
using LabOrchestrator.Sessions;

namespace LabOrchestrator.Server.Sessions;

/// <summary>Start, get, list and stop sessions.</summary>
internal static class SessionHandlers
{
    public static async Task<IResult> StartAsync(HttpContext context, SessionStarter starter, IAuditLog audit, TimeProvider time, CancellationToken cancellationToken)
    {
        var request = await SessionJsonBody.ReadAsync<StartSessionRequest>(context.Request, cancellationToken);
        if (string.IsNullOrWhiteSpace(request.Lab))
        {
            throw new RequestProblemException(StatusCodes.Status400BadRequest, "Invalid request", "Name the lab to start, e.g. {\"lab\": \"two-hosts\"}.", "lab");
        }

        var session = await starter.StartAsync(context.User, request.Lab.Trim(), cancellationToken);
        await audit.RecordAsync(context, AuditActions.SessionStarted, sessionId: session.Id, target: session.LabName, cancellationToken: CancellationToken.None);
        return TypedResults.Accepted($"/api/sessions/{session.Id}", SessionResponse.From(session, time, context.User.IsInstructorOrAdmin()));
    }

    public static async Task<IResult> GetAsync(string id, ClaimsPrincipal user, ISessionService sessions, SessionGuides guides, TimeProvider time, CancellationToken cancellationToken)
    {
        var session = await GetVisibleAsync(id, user, sessions, cancellationToken);
        var progress = await guides.SummariesAsync([session], cancellationToken);
        return TypedResults.Ok(SessionResponse.From(session, time, user.IsInstructorOrAdmin()) with { Progress = progress.GetValueOrDefault(session.Id) });
    }

    public static async Task<IResult> ListAsync(
        ClaimsPrincipal user, ISessionService sessions, SessionGuides guides, TimeProvider time, string? lab, string? state,
        [Microsoft.AspNetCore.Mvc.FromQuery(Name = "user")] string? userId, CancellationToken cancellationToken)
    {
        SessionState? stateFilter = null;
        if (!string.IsNullOrWhiteSpace(state))
        {
            stateFilter = Enum.TryParse<SessionState>(state, ignoreCase: true, out var parsed) && Enum.IsDefined(parsed)
                ? parsed
                : throw new RequestProblemException(StatusCodes.Status400BadRequest, "Invalid filter",
                    $"'{state}' is not a session state; use one of {string.Join(", ", Enum.GetNames<SessionState>())}.", "state");
        }

        var query = new SessionQuery
        {
            // Learners list their own sessions whatever they ask for.
            UserId = user.IsInstructorOrAdmin() ? NullIfEmpty(userId) : user.GetUserId(),
            LabName = NullIfEmpty(lab),
            State = stateFilter,
        };
        var list = await sessions.ListAsync(query, cancellationToken);
        var progress = await guides.SummariesAsync(list, cancellationToken);
        return TypedResults.Ok(list.Select(s => SessionResponse.From(s, time, user.IsInstructorOrAdmin(), withCredentials: false) with { Progress = progress.GetValueOrDefault(s.Id) }).ToList());
    }

    public static async Task<IResult> StopAsync(
        string id, HttpContext context, ISessionService sessions, Lifecycle.SessionStopper stopper, IAuditLog audit, TimeProvider time, CancellationToken cancellationToken)
    {
        var session = await GetVisibleAsync(id, context.User, sessions, cancellationToken);
        if (session.State is SessionState.Stopped)
        {
            return TypedResults.Ok(SessionResponse.From(session, time, context.User.IsInstructorOrAdmin()));
        }

        var userId = context.User.GetUserId();
        var reason = session.UserId == userId ? StopReason.Learner : context.User.IsAdmin() ? StopReason.Admin : StopReason.Instructor;
        var stopped = await stopper.StopAsync(session, new SessionStop(reason, userId));
        await audit.RecordAsync(context, AuditActions.SessionStopped, sessionId: id, target: stopped.LabName, cancellationToken: CancellationToken.None);
        return TypedResults.Ok(SessionResponse.From(stopped, time, context.User.IsInstructorOrAdmin()));
    }

    /// <summary>The session, if the user may see it: 404 when there is none, 403 when it is another learner's.</summary>
    public static async Task<Session> GetVisibleAsync(string id, ClaimsPrincipal user, ISessionService sessions, CancellationToken cancellationToken)
    {
        var session = await sessions.GetAsync(id, cancellationToken) ?? throw SessionProblems.NotFound(id);
        return SessionAccess.CanSee(user, session) ? session : throw SessionProblems.Forbidden(id);
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
