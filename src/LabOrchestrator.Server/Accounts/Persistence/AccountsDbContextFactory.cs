using LabOrchestrator.Persistence;
using Microsoft.EntityFrameworkCore;

namespace LabOrchestrator.Server.Accounts.Persistence;

/// <summary>Makes the accounts context on the library's configured database.</summary>
internal sealed class AccountsDbContextFactory(StoreDatabase database, ILoggerFactory loggers) : IDbContextFactory<AccountsDbContext>
{
    private readonly DbContextOptions<AccountsDbContext> options = (DbContextOptions<AccountsDbContext>)database
        .Configure(new DbContextOptionsBuilder<AccountsDbContext>().UseLoggerFactory(loggers), AccountsDbContext.MigrationsHistoryTable).Options;

    public AccountsDbContext CreateDbContext() =>
        database.IsPostgreSql ? new PostgreSqlAccountsDbContext(options) : new AccountsDbContext(options);
}
