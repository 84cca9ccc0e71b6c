using LabOrchestrator.Persistence;
using Microsoft.EntityFrameworkCore;

namespace LabOrchestrator.Server.Accounts.Persistence;

/// <summary>Brings the accounts tables up to date; run by <see cref="LabOrchestratorDatabase.MigrateAsync"/> after the library's own.</summary>
internal sealed class AccountsSchema(IDbContextFactory<AccountsDbContext> contexts) : IStoreSchema
{
    public async Task MigrateAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await db.Database.MigrateAsync(cancellationToken);
    }
}
