using LabOrchestrator.Persistence;
using Microsoft.EntityFrameworkCore;

namespace LabOrchestrator.Pools;

/// <summary>
/// The owner of sessions waiting in a warm pool. It is a row in the users table (sessions need one) that nobody can
/// sign in as: its id starts with '~', which account ids may not (so no account of that name can be made), it has no
/// password, and it is disabled. User lists leave it out.
/// </summary>
public static class PoolOwner
{
    public const string UserId = "~pool";
    public const string DisplayName = "Warm pool";

    internal static async Task EnsureAsync(LabOrchestratorDbContext db, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (!await db.Users.AnyAsync(u => u.Id == UserId, cancellationToken))
        {
            db.Users.Add(new UserEntity { Id = UserId, DisplayName = DisplayName, CreatedAt = now, Disabled = true, PasswordHash = null });
            await db.SaveChangesAsync(cancellationToken);
        }
    }
}
