using System.Security.Claims;
using LabOrchestrator.Engines;
using LabOrchestrator.Server.Accounts;
using LabOrchestrator.Server.Audit;
using LabOrchestrator.Server.Labs;
using LabOrchestrator.Server.Sessions;
using LabOrchestrator.Sessions;

namespace LabOrchestrator.Server.Persist;

/// <summary>Save a session, list and delete saves, and continue one in a new session.</summary>
internal static partial class SavedSessionHandlers
{
    public static async Task<IResult> SaveAsync(string id, HttpContext context, ISessionService sessions, IAuditLog audit, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        await SessionHandlers.GetVisibleAsync(id, context.User, sessions, cancellationToken);
        SavedSession saved;
        try
        {
            saved = await sessions.SaveAsync(id, cancellationToken);
        }
        catch (InvalidSessionStateException e)
        {
            throw new RequestProblemException(StatusCodes.Status409Conflict, "Conflict", $"{e.Message.Split(" and ")[0]}; only a running session can be saved.");
        }
        catch (SaveRefusedException e)
        {
            throw new RequestProblemException(StatusCodes.Status409Conflict, "Cannot save", e.Message);
        }
        catch (SavedSessionQuotaException e)
        {
            var problem = new RequestProblemException(StatusCodes.Status429TooManyRequests, "Saved session limit reached",
                $"{e.Message} Delete one with DELETE /api/saved-sessions/{{id}}.");
            problem.Extensions["limit"] = "savedPerUser";
            problem.Extensions["setting"] = "LabOrchestrator:MaxSavedSessionsPerUser";
            problem.Extensions["current"] = e.Current;
            problem.Extensions["max"] = e.Max;
            throw problem;
        }
        catch (EngineException e)
        {
            LogSaveFailed(loggers.CreateLogger(typeof(SavedSessionHandlers)), e, id);
            throw new RequestProblemException(StatusCodes.Status503ServiceUnavailable, "Save failed",
                context.User.IsAdmin() ? $"The engine could not save the session: {e.Message}" : "The session could not be saved; nothing was kept. Try again, or ask an administrator.");
        }

        await audit.RecordAsync(context, PersistAuditActions.SessionSaved, sessionId: id, target: saved.Id, cancellationToken: CancellationToken.None);
        return TypedResults.Created($"/api/saved-sessions/{saved.Id}", SavedSessionResponse.From(saved, context.User.IsAdmin()));
    }

    public static async Task<IResult> ListAsync(ClaimsPrincipal user, ISessionService sessions, [Microsoft.AspNetCore.Mvc.FromQuery(Name = "user")] string? userId, CancellationToken cancellationToken)
    {
        var list = await sessions.ListSavedAsync(OwnerFilter(user, userId), cancellationToken);
        return TypedResults.Ok(list.Select(s => SavedSessionResponse.From(s, user.IsAdmin())).ToList());
    }

    public static async Task<IResult> GetAsync(string id, ClaimsPrincipal user, ISessionService sessions, CancellationToken cancellationToken) =>
        TypedResults.Ok(SavedSessionResponse.From(await GetVisibleAsync(id, user, sessions, cancellationToken), user.IsAdmin()));

    public static async Task<IResult> DeleteAsync(string id, HttpContext context, ISessionService sessions, IAuditLog audit, CancellationToken cancellationToken)
    {
        await GetVisibleAsync(id, context.User, sessions, cancellationToken);
        try
        {
            await sessions.DeleteSavedAsync(id, cancellationToken);
        }
        catch (Exception e) when (e is EngineException or InvalidOperationException)
        {
            throw new RequestProblemException(StatusCodes.Status409Conflict, "Conflict", e is EngineException && !context.User.IsAdmin()
                ? "A session still runs from this save; stop it first, then delete the save."
                : e.Message);
        }

        await audit.RecordAsync(context, PersistAuditActions.SavedSessionDeleted, target: id, cancellationToken: CancellationToken.None);
        return TypedResults.NoContent();
    }

    public static async Task<IResult> ContinueAsync(string id, HttpContext context, ISessionService sessions, SessionStarter starter, IAuditLog audit, TimeProvider time, CancellationToken cancellationToken)
    {
        var saved = await GetVisibleAsync(id, context.User, sessions, cancellationToken);
        if (saved.UserId != context.User.GetUserId())
        {
            throw new RequestProblemException(StatusCodes.Status403Forbidden, "Forbidden", $"Saved session '{id}' belongs to another user; only they can continue it.");
        }

        var session = await starter.ContinueSavedAsync(context.User, saved, cancellationToken);
        await audit.RecordAsync(context, PersistAuditActions.SavedSessionContinued, sessionId: session.Id, target: id, cancellationToken: CancellationToken.None);
        return TypedResults.Accepted($"/api/sessions/{session.Id}", SessionResponse.From(session, time, context.User.IsInstructorOrAdmin()));
    }

    /// <summary>Learners (and instructors) see their own saves; admins everyone's, or one user's.</summary>
    public static string? OwnerFilter(ClaimsPrincipal user, string? userId) =>
        user.IsAdmin() ? (string.IsNullOrWhiteSpace(userId) ? null : userId.Trim()) : user.GetUserId();

    private static async Task<SavedSession> GetVisibleAsync(string id, ClaimsPrincipal user, ISessionService sessions, CancellationToken cancellationToken)
    {
        var saved = await sessions.GetSavedAsync(id, cancellationToken)
            ?? throw new RequestProblemException(StatusCodes.Status404NotFound, "Not found", $"There is no saved session '{id}'. List yours with GET /api/saved-sessions.");
        return saved.UserId == user.GetUserId() || user.IsAdmin()
            ? saved
            : throw new RequestProblemException(StatusCodes.Status403Forbidden, "Forbidden", $"Saved session '{id}' belongs to another user.");
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Saving session {SessionId} failed")]
    private static partial void LogSaveFailed(ILogger logger, Exception exception, string sessionId);
}
