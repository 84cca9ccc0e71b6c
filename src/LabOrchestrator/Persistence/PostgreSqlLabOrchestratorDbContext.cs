using Microsoft.EntityFrameworkCore;

namespace LabOrchestrator.Persistence;

/// <summary>
/// The store's model on PostgreSQL. Its own type only so that EF Core finds the PostgreSQL migrations
/// (Persistence/Migrations.PostgreSql) for it and the SQLite ones (Persistence/Migrations) for the base type.
/// </summary>
internal sealed class PostgreSqlLabOrchestratorDbContext(DbContextOptions<LabOrchestratorDbContext> options) : LabOrchestratorDbContext(options);
