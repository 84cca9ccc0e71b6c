using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace LabOrchestrator.Testing;

/// <summary>
/// A throwaway PostgreSQL cluster for this test process: initdb into a temporary folder and pg_ctl start on a free
/// 127.0.0.1 port (as the Debian `postgres` user when the tests run as root, since PostgreSQL refuses root). Started once,
/// on first use, and stopped when the process exits. Linked into every test project.
/// </summary>
internal sealed class PostgresCluster
{
    private const string Superuser = "labo";
    private static readonly Lazy<Task<PostgresCluster>> Shared = new(StartAsync);
    private readonly string folder;
    private readonly string bin;

    private PostgresCluster(string folder, string bin, int port)
    {
        this.folder = folder;
        this.bin = bin;
        Port = port;
    }

    public int Port { get; }

    /// <summary>Where initdb and pg_ctl are, or null: the tests that need them are skipped with this reason.</summary>
    public static string? BinariesMissing =>
        FindBin() is null ? "PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb): run scripts/setup.sh" : null;

    public static Task<PostgresCluster> GetAsync() => Shared.Value;

    /// <summary>A new empty database on the cluster; dropped (its connections ended) when disposed.</summary>
    public async Task<PostgresDatabase> CreateDatabaseAsync(CancellationToken cancellationToken = default)
    {
        var name = $"t_{Guid.NewGuid():N}";
        await using var admin = new NpgsqlConnection(ConnectionString("postgres"));
        await admin.OpenAsync(cancellationToken);
        await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", admin);
        await create.ExecuteNonQueryAsync(cancellationToken);
        return new PostgresDatabase(this, name, ConnectionString(name));
    }

    internal string ConnectionString(string database) =>
        $"Host=127.0.0.1;Port={Port};Username={Superuser};Database={database};Pooling=true;Maximum Pool Size=20;Timeout=30;Command Timeout=60";

    private static string? FindBin() =>
        Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql")
                .Select(d => Path.Combine(d, "bin"))
                .Where(d => File.Exists(Path.Combine(d, "initdb")) && File.Exists(Path.Combine(d, "pg_ctl")))
                .OrderByDescending(d => int.TryParse(Path.GetFileName(Path.GetDirectoryName(d)), out var v) ? v : 0)
                .FirstOrDefault()
            : null;

    private static async Task<PostgresCluster> StartAsync()
    {
        var bin = FindBin() ?? throw new InvalidOperationException(BinariesMissing);
        var folder = Directory.CreateTempSubdirectory("labo-pg-").FullName;
        var asRoot = Environment.UserName == "root";
        if (asRoot)
        {
            await RunAsync(null, "chown", "postgres:postgres", folder);
        }

        var data = Path.Combine(folder, "data");
        await RunAsync(asRoot ? "postgres" : null, Path.Combine(bin, "initdb"), "-D", data, "-U", Superuser, "--auth=trust", "-E", "UTF8", "--locale=C", "--no-sync");
        var port = FreePort();
        var cluster = new PostgresCluster(folder, bin, port);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => cluster.Stop();
        var options = $"-c listen_addresses=127.0.0.1 -p {port} -k {folder} -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=400";
        await RunAsync(asRoot ? "postgres" : null, Path.Combine(bin, "pg_ctl"), "-D", data, "-l", Path.Combine(folder, "log"), "-w", "-t", "60", "-o", options, "start");
        return cluster;
    }

    private void Stop()
    {
        var asRoot = Environment.UserName == "root";
        try
        {
            var (file, args) = Command(asRoot ? "postgres" : null, Path.Combine(bin, "pg_ctl"), "-D", Path.Combine(folder, "data"), "-m", "immediate", "-w", "stop");
            using var stop = Process.Start(new ProcessStartInfo(file, args) { RedirectStandardOutput = true, RedirectStandardError = true });
            stop?.WaitForExit(30_000);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static (string File, IEnumerable<string> Args) Command(string? user, string file, params string[] args) =>
        user is null ? (file, args) : ("runuser", ["-u", user, "--", file, .. args]);

    private static async Task RunAsync(string? user, string file, params string[] args)
    {
        var (program, arguments) = Command(user, file, args);
        using var process = Process.Start(new ProcessStartInfo(program, arguments) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} exited with {process.ExitCode}: {await output}{await error}");
        }
    }
}
