using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace LabOrchestrator.Persistence;

/// <summary>
/// Lets `dotnet ef migrations add X --context PostgreSqlLabOrchestratorDbContext --output-dir Persistence/Migrations.PostgreSql`
/// build the PostgreSQL context; no server is contacted.
/// </summary>
internal sealed class PostgreSqlDesignTimeDbContextFactory : IDesignTimeDbContextFactory<PostgreSqlLabOrchestratorDbContext>
{
    public PostgreSqlLabOrchestratorDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<LabOrchestratorDbContext>().UseNpgsql("Host=localhost;Database=design").Options);
}
