using System.Security.Claims;
using LabOrchestrator.Server.Accounts;
using LabOrchestrator.Sessions;

namespace LabOrchestrator.Server.Sessions;

/// <summary>Who may see or use a session: its owner uses it; instructors and admins see every session (and may watch its consoles).</summary>
public static class SessionAccess
{
    public static bool IsOwner(ClaimsPrincipal user, Session session) => session.UserId == user.GetUserId();

    public static bool CanSee(ClaimsPrincipal user, Session session) => IsOwner(user, session) || user.IsInstructorOrAdmin();

    /// <summary>Stopping: the owner, or an admin or instructor.</summary>
    public static bool CanStop(ClaimsPrincipal user, Session session) => CanSee(user, session);
}
