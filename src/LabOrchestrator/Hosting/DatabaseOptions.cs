namespace LabOrchestrator.Hosting;

/// <summary>Which database holds the store, bound from the "Database" configuration section.</summary>
public sealed record DatabaseOptions
{
    public const string SectionName = "Database";

    /// <summary><c>sqlite</c> (default: one file, one host) or <c>postgresql</c> (several server replicas).</summary>
    public string Provider { get; set; } = DatabaseProviders.Sqlite;

    /// <summary>
    /// An ADO.NET connection string. Required for PostgreSQL (<c>Host=db;Database=labs;Username=labs;Password=…</c>);
    /// for SQLite, when empty, the file is <see cref="LabOrchestratorOptions.DatabasePath"/>.
    /// </summary>
    public string? ConnectionString { get; set; }
}
