using LabOrchestrator.Persistence;
using Microsoft.EntityFrameworkCore;

namespace LabOrchestrator.Doctor;

/// <summary>The database: reachable, its schema up to date (or about to be), and room for it to grow.</summary>
internal sealed class DatabaseHostChecks(IDbContextFactory<LabOrchestratorDbContext> contexts, StoreDatabase database) : IHostCheckSource
{
    public string Name => "database";

    public async Task<IReadOnlyList<HostCheck>> CheckAsync(CancellationToken cancellationToken)
    {
        if (database.SqliteFile is not { } path)
        {
            return [await CheckServerAsync(cancellationToken).ConfigureAwait(false)];
        }

        var checks = new List<HostCheck>();
        var folder = Path.GetDirectoryName(path)!;
        if (!File.Exists(path))
        {
            // A first start creates it; only a folder that cannot be made is a problem.
            checks.Add(CanCreate(folder)
                ? HostCheck.Ok("database", $"{path} does not exist yet; the first start creates it")
                : HostCheck.Failed("database", $"{path} does not exist and its folder {folder} cannot be written", $"create {folder} and let this user write to it, or choose another file with --database"));
            checks.Add(DiskSpace.Check("database disk", folder));
            return checks;
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken).ConfigureAwait(false)).ToList();
            checks.Add(HostCheck.Ok("database", $"SQLite {path} opens"));
            checks.Add(pending.Count == 0
                ? HostCheck.Ok("database schema", "migrated (no pending migrations)")
                : HostCheck.Warning("database schema", $"{pending.Count} migration(s) pending ({string.Join(", ", pending)})", "labctl serve and every other labctl command apply them at start; back the file up first"));
        }
        catch (Exception e) when (e is Microsoft.Data.Sqlite.SqliteException or InvalidOperationException)
        {
            checks.Add(HostCheck.Failed("database", $"{path} cannot be read: {e.Message}", "check the file's owner and mode, or restore it from a backup"));
        }

        checks.Add(DiskSpace.Check("database disk", folder));
        return checks;
    }

    /// <summary>PostgreSQL: the server answers and says which migrations are pending (no disk check: its disk is not ours).</summary>
    private async Task<HostCheck> CheckServerAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
            var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken).ConfigureAwait(false)).ToList();
            return pending.Count == 0
                ? HostCheck.Ok("database", "PostgreSQL answers; schema migrated (no pending migrations)")
                : HostCheck.Warning("database", $"PostgreSQL answers; {pending.Count} migration(s) pending ({string.Join(", ", pending)})", "the server and labctl apply them at start (one replica at a time); back the database up first");
        }
        catch (Exception e) when (e is Npgsql.NpgsqlException or InvalidOperationException)
        {
            return HostCheck.Failed("database", $"PostgreSQL cannot be reached: {e.Message}", "check Database:ConnectionString (host, port, database, user, password) and that the server accepts this host");
        }
    }

    private static bool CanCreate(string folder)
    {
        try
        {
            Directory.CreateDirectory(folder);
            var probe = Path.Combine(folder, $".doctor-{Guid.NewGuid():N}");
            File.WriteAllText(probe, "");
            File.Delete(probe);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
