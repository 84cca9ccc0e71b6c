using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace LabOrchestrator.Persistence;

/// <summary>Lets `dotnet ef migrations add` build the SQLite context without a host (migrations in Persistence/Migrations).</summary>
internal sealed class DesignTimeDbContextFactory : IDesignTimeDbContextFactory<LabOrchestratorDbContext>
{
    public LabOrchestratorDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<LabOrchestratorDbContext>().UseSqlite("Data Source=design.db").Options);
}
