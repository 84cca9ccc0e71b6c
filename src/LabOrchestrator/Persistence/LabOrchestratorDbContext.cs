using Microsoft.EntityFrameworkCore;

namespace LabOrchestrator.Persistence;

/// <summary>
/// The store of labs, users and sessions. (The server keeps API tokens and the audit log in a context of its own.) Column types are kept portable (strings, booleans,
/// timestamps stored as text by SQLite and as timestamptz by PostgreSQL) so one model serves both. PostgreSQL uses
/// <see cref="PostgreSqlLabOrchestratorDbContext"/>, this model under another type, so each provider has its own migrations.
/// </summary>
public class LabOrchestratorDbContext : DbContext
{
    public LabOrchestratorDbContext(DbContextOptions<LabOrchestratorDbContext> options)
        : base(options)
    {
    }

    internal DbSet<LabEntity> Labs => Set<LabEntity>();
    internal DbSet<UserEntity> Users => Set<UserEntity>();
    internal DbSet<SessionEntity> Sessions => Set<SessionEntity>();
    internal DbSet<SessionStepEntity> SessionSteps => Set<SessionStepEntity>();
    internal DbSet<InstanceEntity> Instance => Set<InstanceEntity>();
    internal DbSet<SavedSessionEntity> SavedSessions => Set<SavedSessionEntity>();
    internal DbSet<GuideSnapshotEntity> GuideSnapshots => Set<GuideSnapshotEntity>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        // User ids ignore case. SQLite has NOCASE; PostgreSQL gets an ICU collation where "admin" equals "ADMIN", also on
        // the columns that refer to a user (a foreign key compares with the referring column's collation).
        var postgreSql = Database.IsNpgsql();
        var userIdCollation = postgreSql ? UserIdCollation.PostgreSql : "NOCASE";
        if (postgreSql)
        {
            modelBuilder.HasCollation(UserIdCollation.PostgreSql, locale: "und-u-ks-level2", provider: "icu", deterministic: false);
        }

        modelBuilder.Entity<LabEntity>(lab =>
        {
            lab.ToTable("labs");
            lab.HasKey(l => l.Name);
            lab.Property(l => l.Name).HasMaxLength(63);
            lab.Property(l => l.Title).HasMaxLength(200);
            lab.Property(l => l.SourceFile).HasMaxLength(1024);
            lab.Property(l => l.SourceDirectory).HasMaxLength(1024);
        });
        modelBuilder.Entity<GuideSnapshotEntity>(snapshot =>
        {
            snapshot.ToTable("guide_snapshots");
            snapshot.HasKey(g => g.Hash);
            snapshot.Property(g => g.Hash).HasMaxLength(64);
        });
        modelBuilder.Entity<UserEntity>(user =>
        {
            user.ToTable("users");
            user.HasKey(u => u.Id);
            // User ids are unique whatever their case ("admin" and "ADMIN" are one user), and found in any case.
            user.Property(u => u.Id).HasMaxLength(200).UseCollation(userIdCollation);
            user.Property(u => u.SecurityStamp).HasMaxLength(32);
            user.Property(u => u.DisplayName).HasMaxLength(200);
            user.Property(u => u.Role).HasMaxLength(16);
        });
        modelBuilder.Entity<SessionStepEntity>(step =>
        {
            step.ToTable("session_steps");
            step.HasKey(s => new { s.SessionId, s.StepId });
            step.Property(s => s.SessionId).HasMaxLength(32);
            step.Property(s => s.StepId).HasMaxLength(100);
            step.Property(s => s.Method).HasMaxLength(16);
            step.HasOne<SessionEntity>().WithMany().HasForeignKey(s => s.SessionId).OnDelete(DeleteBehavior.Cascade);
        });
        modelBuilder.Entity<InstanceEntity>(instance =>
        {
            instance.ToTable("instance");
            instance.HasKey(i => i.Key);
            instance.Property(i => i.Key).ValueGeneratedNever();
            instance.Property(i => i.Id).HasMaxLength(32);
        });

        modelBuilder.Entity<SavedSessionEntity>(saved =>
        {
            saved.ToTable("saved_sessions");
            saved.HasKey(s => s.Id);
            saved.Property(s => s.Id).HasMaxLength(32);
            saved.Property(s => s.GuideHash).HasMaxLength(64);
            saved.Property(s => s.UserId).HasMaxLength(200);
            saved.Property(s => s.LabName).HasMaxLength(63);
            saved.Property(s => s.Engine).HasMaxLength(32);
            saved.Property(s => s.SessionId).HasMaxLength(32);
            // No foreign key to users: deleting a user leaves the row, so an admin still finds (and removes) its images.
            saved.HasIndex(s => s.UserId);
        });
        modelBuilder.Entity<SessionEntity>(session =>
        {
            session.Property(s => s.SavedSessionId).HasMaxLength(32);
            session.Property(s => s.GuideHash).HasMaxLength(64);
            session.ToTable("sessions");
            session.HasKey(s => s.Id);
            session.Property(s => s.Id).HasMaxLength(32);
            session.Property(s => s.LabName).HasMaxLength(63);
            session.Property(s => s.Engine).HasMaxLength(32);
            session.Property(s => s.State).HasConversion<string>().HasMaxLength(16);
            session.Property(s => s.StopReason).HasConversion<string>().HasMaxLength(16);
            session.Property(s => s.StoppedBy).HasMaxLength(64);
            session.Property(s => s.OperationOwner).HasMaxLength(128);
            session.HasOne(s => s.User).WithMany(u => u.Sessions).HasForeignKey(s => s.UserId);
            if (postgreSql)
            {
                session.Property(s => s.UserId).HasMaxLength(200).UseCollation(userIdCollation);
            }

            session.HasIndex(s => new { s.UserId, s.State });
            session.HasIndex(s => new { s.LabName, s.State });
            session.OwnsMany(s => s.Nodes, node =>
            {
                node.ToTable("session_nodes");
                node.WithOwner().HasForeignKey(n => n.SessionId);
                node.HasKey(n => new { n.SessionId, n.Name });
                node.Property(n => n.Name).HasMaxLength(63);
                node.Property(n => n.State).HasConversion<string>().HasMaxLength(16);
            });
            session.OwnsMany(s => s.Credentials, credential =>
            {
                credential.ToTable("session_credentials");
                credential.WithOwner().HasForeignKey(c => c.SessionId);
                credential.HasKey(c => new { c.SessionId, c.Node, c.Name });
                credential.Property(c => c.Node).HasMaxLength(63);
                credential.Property(c => c.Name).HasMaxLength(63);
            });
        });
    }
}
