using LabOrchestrator.Persistence;
using Microsoft.EntityFrameworkCore;

namespace LabOrchestrator.Users;

internal sealed class UserDirectory(IDbContextFactory<LabOrchestratorDbContext> contexts) : IUserDirectory
{
    public async Task<IReadOnlyList<UserRef>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var users = await db.Users.AsNoTracking().Where(u => u.Id != Pools.PoolOwner.UserId).OrderBy(u => u.Id).ToListAsync(cancellationToken);
        return users.Select(u => new UserRef(u.Id, u.DisplayName)).ToList();
    }

    public async Task<UserRef?> GetAsync(string id, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var user = await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Id == id, cancellationToken);
        return user is null ? null : new UserRef(user.Id, user.DisplayName);
    }
}
