using System.Security.Claims;
using LabOrchestrator.Engines;
using LabOrchestrator.Server.Accounts;
using LabOrchestrator.Server.Audit;
using LabOrchestrator.Server.Labs;
using LabOrchestrator.Sessions;

namespace LabOrchestrator.Server.Persist;

/// <summary>A learner's stored data (nodes' <c>storage</c> folders): list and delete; admins for anyone.</summary>
internal static class StorageHandlers
{
    public static async Task<IResult> ListAsync(ClaimsPrincipal user, ISessionService sessions, [Microsoft.AspNetCore.Mvc.FromQuery(Name = "user")] string? userId, CancellationToken cancellationToken)
    {
        var list = await sessions.ListStorageAsync(SavedSessionHandlers.OwnerFilter(user, userId), cancellationToken);
        return TypedResults.Ok(list.Select(StoredVolumeResponse.From).ToList());
    }

    public static async Task<IResult> DeleteAsync(string name, HttpContext context, ISessionService sessions, IAuditLog audit, CancellationToken cancellationToken)
    {
        try
        {
            await sessions.DeleteStorageAsync(name, context.User.IsAdmin() ? null : context.User.GetUserId(), cancellationToken);
        }
        catch (StoredVolumeNotFoundException)
        {
            // Another learner's volume is "not found" too: names must not tell whose data exists.
            throw new RequestProblemException(StatusCodes.Status404NotFound, "Not found", $"You have no stored data '{name}'. List yours with GET /api/storage.");
        }
        catch (EngineException)
        {
            throw new RequestProblemException(StatusCodes.Status409Conflict, "Conflict", $"Stored data '{name}' is in use by a running session; stop that session first.");
        }

        await audit.RecordAsync(context, PersistAuditActions.StorageDeleted, target: name, cancellationToken: CancellationToken.None);
        return TypedResults.NoContent();
    }
}
