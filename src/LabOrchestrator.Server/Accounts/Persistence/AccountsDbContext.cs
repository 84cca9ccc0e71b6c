using LabOrchestrator.Persistence;
using Microsoft.EntityFrameworkCore;

namespace LabOrchestrator.Server.Accounts.Persistence;

/// <summary>
/// The server's own store: personal API tokens and the audit log, and the account columns of the library's `users`
/// table (mapped, not migrated here). Its migrations (Accounts/Persistence/Migrations for SQLite, Migrations.PostgreSql
/// for <see cref="PostgreSqlAccountsDbContext"/>) are recorded in their own history table, after the library's.
/// </summary>
internal class AccountsDbContext(DbContextOptions<AccountsDbContext> options) : DbContext(options)
{
    /// <summary>Where this context's applied migrations are recorded (the library uses EF Core's default table).</summary>
    public const string MigrationsHistoryTable = "__accounts_migrations";

    public DbSet<AccountEntity> Users => Set<AccountEntity>();
    public DbSet<ApiTokenEntity> ApiTokens => Set<ApiTokenEntity>();
    public DbSet<AuditEntryEntity> AuditEntries => Set<AuditEntryEntity>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        var postgreSql = Database.IsNpgsql();
        var userIdCollation = postgreSql ? UserIdCollation.PostgreSql : "NOCASE";
        modelBuilder.Entity<AccountEntity>(user =>
        {
            user.ToTable("users", t => t.ExcludeFromMigrations());
            user.HasKey(u => u.Id);
            user.Property(u => u.Id).HasMaxLength(200).UseCollation(userIdCollation);
            user.Property(u => u.SecurityStamp).HasMaxLength(32);
            user.Property(u => u.DisplayName).HasMaxLength(200);
            user.Property(u => u.Role).HasMaxLength(16);
        });
        modelBuilder.Entity<ApiTokenEntity>(token =>
        {
            token.ToTable("api_tokens");
            token.HasKey(t => t.Id);
            token.Property(t => t.Id).HasMaxLength(32);
            token.Property(t => t.UserId).HasMaxLength(200);
            if (postgreSql)
            {
                token.Property(t => t.UserId).UseCollation(userIdCollation);
            }

            token.Property(t => t.Name).HasMaxLength(100);
            token.Property(t => t.SecretHash).HasMaxLength(64);
            token.HasIndex(t => t.SecretHash).IsUnique();
            token.HasIndex(t => t.UserId);
            // Deleting a user deletes their tokens.
            token.HasOne<AccountEntity>().WithMany().HasForeignKey(t => t.UserId).OnDelete(DeleteBehavior.Cascade);
        });
        modelBuilder.Entity<AuditEntryEntity>(entry =>
        {
            entry.ToTable("audit_log");
            entry.HasKey(e => e.Id);
            entry.Property(e => e.UserId).HasMaxLength(200);
            entry.Property(e => e.Action).HasMaxLength(64);
            entry.Property(e => e.SessionId).HasMaxLength(32);
            entry.Property(e => e.Target).HasMaxLength(200);
            entry.Property(e => e.RemoteAddress).HasMaxLength(64);
            entry.HasIndex(e => e.At);
        });
    }
}
