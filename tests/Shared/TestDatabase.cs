using LabOrchestrator.Hosting;

namespace LabOrchestrator.Testing;

/// <summary>
/// The database a test's store lives in: a SQLite file in the test's folder, or a fresh database on the test process's
/// <see cref="PostgresCluster"/>. Test classes take the provider as a parameter; hosts that are not told one use
/// LABO_TEST_DATABASE (sqlite unless set to postgresql), so a suite can be run again on PostgreSQL unchanged.
/// </summary>
internal sealed class TestDatabase : IAsyncDisposable
{
    public const string ProviderVariable = "LABO_TEST_DATABASE";
    private readonly PostgresDatabase? postgres;

    private TestDatabase(string provider, IReadOnlyDictionary<string, string?> settings, PostgresDatabase? postgres)
    {
        Provider = provider;
        Settings = settings;
        this.postgres = postgres;
    }

    public static string DefaultProvider =>
        DatabaseProviders.IsPostgreSql(Environment.GetEnvironmentVariable(ProviderVariable)) ? DatabaseProviders.PostgreSql : DatabaseProviders.Sqlite;

    /// <summary>Both providers, for [Theory] [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))].</summary>
    public static TheoryData<string> Providers => new(DatabaseProviders.Sqlite, DatabaseProviders.PostgreSql);

    public string Provider { get; }

    /// <summary>Configuration keys (Database:Provider, Database:ConnectionString, LabOrchestrator:DatabasePath).</summary>
    public IReadOnlyDictionary<string, string?> Settings { get; }

    /// <summary>Makes the database; a PostgreSQL test is skipped, with the reason, only when PostgreSQL is not installed.</summary>
    public static async Task<TestDatabase> CreateAsync(string provider, string folder, CancellationToken cancellationToken = default)
    {
        if (!DatabaseProviders.IsPostgreSql(provider))
        {
            return new TestDatabase(DatabaseProviders.Sqlite, new Dictionary<string, string?>
            {
                ["Database:Provider"] = DatabaseProviders.Sqlite,
                ["LabOrchestrator:DatabasePath"] = Path.Combine(folder, "server.db"),
            }, null);
        }

        if (PostgresCluster.BinariesMissing is { } reason)
        {
            Assert.Skip(reason);
        }

        var cluster = await PostgresCluster.GetAsync();
        var database = await cluster.CreateDatabaseAsync(cancellationToken);
        return new TestDatabase(DatabaseProviders.PostgreSql, new Dictionary<string, string?>
        {
            ["Database:Provider"] = DatabaseProviders.PostgreSql,
            ["Database:ConnectionString"] = database.ConnectionString,
            // Lab sources and other files still live in the test's folder.
            ["LabOrchestrator:DatabasePath"] = Path.Combine(folder, "server.db"),
        }, database);
    }

    public void Configure(DatabaseOptions options)
    {
        options.Provider = Provider;
        options.ConnectionString = Settings.GetValueOrDefault("Database:ConnectionString");
    }

    public ValueTask DisposeAsync() => postgres?.DisposeAsync() ?? ValueTask.CompletedTask;
}
