namespace LabOrchestrator.Persistence;

/// <summary>The case-insensitive collation of user ids on PostgreSQL (SQLite uses its built-in NOCASE).</summary>
public static class UserIdCollation
{
    public const string PostgreSql = "lab_user_id";
}
