using LabOrchestrator.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace LabOrchestrator.Persistence;

/// <summary>
/// The configured database (Database:Provider, Database:ConnectionString, else the SQLite file at
/// LabOrchestrator:DatabasePath), for every DbContext that lives in it: the library's and the server's accounts.
/// </summary>
public sealed class StoreDatabase(IOptions<DatabaseOptions> database, IOptions<LabOrchestratorOptions> library)
{
    public bool IsPostgreSql => DatabaseProviders.IsPostgreSql(database.Value.Provider);

    /// <summary>The SQLite file, or null on PostgreSQL.</summary>
    public string? SqliteFile => IsPostgreSql ? null : SqliteFileOf(ConnectionString);

    public string ConnectionString =>
        string.IsNullOrWhiteSpace(database.Value.ConnectionString)
            ? $"Data Source={Path.GetFullPath(library.Value.DatabasePath)}"
            : database.Value.ConnectionString;

    /// <summary>
    /// Points <paramref name="builder"/> at the database. Each context keeps its applied migrations in its own
    /// <paramref name="migrationsHistoryTable"/> (EF Core's default when null).
    /// </summary>
    public DbContextOptionsBuilder Configure(DbContextOptionsBuilder builder, string? migrationsHistoryTable = null)
    {
        // Sessions own two collections (nodes, credentials); split queries avoid a cartesian product of them.
        if (IsPostgreSql)
        {
            return builder.UseNpgsql(ConnectionString, o =>
            {
                o.UseQuerySplittingBehavior(QuerySplittingBehavior.SplitQuery);
                if (migrationsHistoryTable is not null)
                {
                    o.MigrationsHistoryTable(migrationsHistoryTable);
                }
            });
        }

        return builder.UseSqlite(ConnectionString, o =>
        {
            o.UseQuerySplittingBehavior(QuerySplittingBehavior.SplitQuery);
            if (migrationsHistoryTable is not null)
            {
                o.MigrationsHistoryTable(migrationsHistoryTable);
            }
        });
    }

    private static string? SqliteFileOf(string connectionString)
    {
        var source = new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(connectionString).DataSource;
        return string.IsNullOrEmpty(source) || source == ":memory:" ? null : Path.GetFullPath(source);
    }
}
