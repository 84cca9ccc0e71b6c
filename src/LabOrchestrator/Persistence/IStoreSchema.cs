namespace LabOrchestrator.Persistence;

/// <summary>
/// The schema of another DbContext in the library's database (the server's accounts). Registered ones are migrated by
/// <see cref="LabOrchestratorDatabase.MigrateAsync"/> after the library's own, under the same lock.
/// </summary>
public interface IStoreSchema
{
    Task MigrateAsync(CancellationToken cancellationToken);
}
