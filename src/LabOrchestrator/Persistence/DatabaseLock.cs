using System.Security.Cryptography;
using System.Text;
using Npgsql;

namespace LabOrchestrator.Persistence;

/// <summary>
/// A named lock held across every process that uses the database: a PostgreSQL advisory lock (pg_advisory_lock, on a
/// connection of its own that lives as long as the lock), or for SQLite, whose file only processes on one host share,
/// an exclusive lock on a file next to the database. Migrations and session admission run under it.
/// </summary>
public sealed class DatabaseLock(StoreDatabase database)
{
    private static readonly TimeSpan FilePollInterval = TimeSpan.FromMilliseconds(15);

    public async Task<IAsyncDisposable> AcquireAsync(string name, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (database.IsPostgreSql)
        {
            return await AdvisoryLock.AcquireAsync(database.ConnectionString, KeyOf(name), cancellationToken);
        }

        var file = database.SqliteFile;
        if (file is null)
        {
            // An in-memory SQLite database lives in one process, which orders its own work.
            return NoLock.Instance;
        }

        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        var path = $"{file}.{name}.lock";
        while (true)
        {
            try
            {
                // FileShare.None takes an exclusive flock on Unix: a second holder, in this process or another, is refused.
                return new FileLock(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.None));
            }
            catch (IOException)
            {
                await Task.Delay(FilePollInterval, cancellationToken);
            }
        }
    }

    /// <summary>The 64-bit advisory lock key of a name: stable across processes and versions.</summary>
    internal static long KeyOf(string name) =>
        BitConverter.ToInt64(SHA256.HashData(Encoding.UTF8.GetBytes($"lab-orchestrator:{name}")), 0);

    private sealed class AdvisoryLock(NpgsqlConnection connection, long key) : IAsyncDisposable
    {
        public static async Task<AdvisoryLock> AcquireAsync(string connectionString, long key, CancellationToken cancellationToken)
        {
            var connection = new NpgsqlConnection(connectionString);
            try
            {
                await connection.OpenAsync(cancellationToken);
                await using var command = new NpgsqlCommand("SELECT pg_advisory_lock(@key)", connection);
                command.Parameters.AddWithValue("key", key);
                await command.ExecuteNonQueryAsync(cancellationToken);
                return new AdvisoryLock(connection, key);
            }
            catch
            {
                await connection.DisposeAsync();
                throw;
            }
        }

        public async ValueTask DisposeAsync()
        {
            try
            {
                await using var command = new NpgsqlCommand("SELECT pg_advisory_unlock(@key)", connection);
                command.Parameters.AddWithValue("key", key);
                await command.ExecuteNonQueryAsync(CancellationToken.None);
            }
            finally
            {
                // Npgsql resets a pooled connection (DISCARD ALL) before reuse, which also ends a lock left by a failed unlock.
                await connection.DisposeAsync();
            }
        }
    }

    private sealed class FileLock(FileStream stream) : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => stream.DisposeAsync();
    }

    private sealed class NoLock : IAsyncDisposable
    {
        public static readonly NoLock Instance = new();

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
