using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace LabOrchestrator.Server.Accounts.Persistence;

/// <summary>Lets `dotnet ef migrations add X --context AccountsDbContext --output-dir Accounts/Persistence/Migrations` build the SQLite context.</summary>
internal sealed class DesignTimeAccountsDbContextFactory : IDesignTimeDbContextFactory<AccountsDbContext>
{
    public AccountsDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<AccountsDbContext>().UseSqlite("Data Source=design.db", o => o.MigrationsHistoryTable(AccountsDbContext.MigrationsHistoryTable)).Options);
}

/// <summary>As <see cref="DesignTimeAccountsDbContextFactory"/>, for PostgreSQL (Accounts/Persistence/Migrations.PostgreSql); no server is contacted.</summary>
internal sealed class DesignTimePostgreSqlAccountsDbContextFactory : IDesignTimeDbContextFactory<PostgreSqlAccountsDbContext>
{
    public PostgreSqlAccountsDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<AccountsDbContext>().UseNpgsql("Host=localhost;Database=design", o => o.MigrationsHistoryTable(AccountsDbContext.MigrationsHistoryTable)).Options);
}
