using Microsoft.EntityFrameworkCore;

namespace LabOrchestrator.Server.Accounts.Persistence;

/// <summary>The accounts model on PostgreSQL, its own type so that its migrations are Accounts/Persistence/Migrations.PostgreSql.</summary>
internal sealed class PostgreSqlAccountsDbContext(DbContextOptions<AccountsDbContext> options) : AccountsDbContext(options);
