namespace LabOrchestrator.Hosting;

/// <summary>The values of Database:Provider.</summary>
public static class DatabaseProviders
{
    public const string Sqlite = "sqlite";
    public const string PostgreSql = "postgresql";

    public static bool IsPostgreSql(string? provider) => string.Equals(provider, PostgreSql, StringComparison.OrdinalIgnoreCase);

    public static bool IsKnown(string? provider) =>
        string.Equals(provider, Sqlite, StringComparison.OrdinalIgnoreCase) || IsPostgreSql(provider);
}
