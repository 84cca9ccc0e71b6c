using Microsoft.EntityFrameworkCore;

namespace LabOrchestrator.Persistence;

/// <summary>Creates the database or brings its schema up to date.</summary>
public sealed class LabOrchestratorDatabase(IDbContextFactory<LabOrchestratorDbContext> contexts, DatabaseLock locks, IEnumerable<IStoreSchema> schemas)
{
    /// <summary>The name of the <see cref="DatabaseLock"/> under which migrations run.</summary>
    public const string MigrationLock = "migrate";

    /// <summary>
    /// Applies the library's pending migrations, then those of every registered <see cref="IStoreSchema"/>. Replicas
    /// starting together take turns under the database's migration lock, so exactly one applies them and the others find
    /// nothing left to do.
    /// </summary>
    public async Task MigrateAsync(CancellationToken cancellationToken = default)
    {
        await using var held = await locks.AcquireAsync(MigrationLock, cancellationToken);
        await using (var db = await contexts.CreateDbContextAsync(cancellationToken))
        {
            await db.Database.MigrateAsync(cancellationToken);
        }

        foreach (var schema in schemas)
        {
            await schema.MigrateAsync(cancellationToken);
        }
    }
}
