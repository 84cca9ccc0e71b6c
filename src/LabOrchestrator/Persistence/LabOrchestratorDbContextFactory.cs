using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace LabOrchestrator.Persistence;

/// <summary>Makes the library's context for the configured provider (<see cref="PostgreSqlLabOrchestratorDbContext"/> on PostgreSQL).</summary>
internal sealed class LabOrchestratorDbContextFactory(StoreDatabase database, ILoggerFactory loggers) : IDbContextFactory<LabOrchestratorDbContext>
{
    private readonly DbContextOptions<LabOrchestratorDbContext> options =
        (DbContextOptions<LabOrchestratorDbContext>)database.Configure(new DbContextOptionsBuilder<LabOrchestratorDbContext>().UseLoggerFactory(loggers)).Options;

    public LabOrchestratorDbContext CreateDbContext() =>
        database.IsPostgreSql ? new PostgreSqlLabOrchestratorDbContext(options) : new LabOrchestratorDbContext(options);
}
