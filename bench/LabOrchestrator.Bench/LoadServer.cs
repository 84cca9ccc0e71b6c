using System.Diagnostics;
using System.Globalization;
using System.Runtime;
using System.Text.Json;
using LabOrchestrator.Labs;
using LabOrchestrator.Server.Accounts;
using LabOrchestrator.Server.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace LabOrchestrator.Bench;

/// <summary>
/// The real server (Kestrel on 127.0.0.1, SQLite, Podman) in a child process of its own, so that its memory and file
/// descriptors can be read from /proc without the load generator's. It publishes hello-linux, creates the learners with
/// API tokens, prints one JSON line (<see cref="Ready"/>) and runs until its standard input closes.
/// </summary>
internal sealed class LoadServer : IAsyncDisposable
{
    private readonly Process process;

    private LoadServer(Process process, Ready ready)
    {
        this.process = process;
        Info = ready;
    }

    public Ready Info { get; }
    public int Pid => process.Id;
    public Uri Address => new(Info.Address);

    /// <param name="learners">Learner accounts to create, each with an API token.</param>
    /// <param name="total">Quotas:Total.</param>
    /// <param name="cancellationToken">Cancels waiting for the server to be ready.</param>
    /// <param name="lab">The lab under labs/ to publish.</param>
    /// <param name="configuration">More configuration, as <c>--Key=Value</c> arguments.</param>
    public static async Task<LoadServer> StartAsync(int learners, int total, CancellationToken cancellationToken, string lab = "hello-linux", IReadOnlyList<string>? configuration = null)
    {
        var info = new ProcessStartInfo(Environment.ProcessPath!) { RedirectStandardOutput = true, RedirectStandardInput = true, RedirectStandardError = false };
        if (Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet")
        {
            info.ArgumentList.Add(typeof(LoadServer).Assembly.Location);
        }

        foreach (var arg in new[] { "load-server", learners.ToString(CultureInfo.InvariantCulture), total.ToString(CultureInfo.InvariantCulture), lab }.Concat(configuration ?? []))
        {
            info.ArgumentList.Add(arg);
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException("The server process did not start.");
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromMinutes(3));
        while (await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
        {
            if (line.StartsWith('{'))
            {
                return new LoadServer(process, JsonSerializer.Deserialize<Ready>(line)!);
            }
        }

        throw new InvalidOperationException($"The server process ended before it was ready (exit code {(process.HasExited ? process.ExitCode : -1)}).");
    }

    /// <summary>Resident memory (VmRSS) and open file descriptors of the server process.</summary>
    public (double RssMb, int Fds) Measure()
    {
        var rss = File.ReadLines($"/proc/{Pid}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        var kb = double.Parse(rss.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
        return (kb / 1024, Directory.GetFileSystemEntries($"/proc/{Pid}/fd").Length);
    }

    /// <summary>
    /// The server's managed heap in MB after full compacting collections (it collects when asked, after closing its idle
    /// pooled database connections, so the descriptors measured next are not the pool's size).
    /// </summary>
    public async Task<double> HeapMbAsync(CancellationToken cancellationToken)
    {
        await process.StandardInput.WriteLineAsync("heap");
        await process.StandardInput.FlushAsync(cancellationToken);
        while (await process.StandardOutput.ReadLineAsync(cancellationToken) is { } line)
        {
            if (line.StartsWith("heap ", StringComparison.Ordinal))
            {
                return long.Parse(line["heap ".Length..], CultureInfo.InvariantCulture) / (1024.0 * 1024);
            }
        }

        throw new InvalidOperationException("The server process ended.");
    }

    /// <summary>The server's session spans and thread-pool samples since the last call (<see cref="PhaseRecorder"/>).</summary>
    public async Task<PhaseRecorder.Report> PhasesAsync(CancellationToken cancellationToken)
    {
        await process.StandardInput.WriteLineAsync("phases");
        await process.StandardInput.FlushAsync(cancellationToken);
        while (await process.StandardOutput.ReadLineAsync(cancellationToken) is { } line)
        {
            if (line.StartsWith("phases ", StringComparison.Ordinal))
            {
                return PhaseRecorder.Report.Parse(line);
            }
        }

        throw new InvalidOperationException("The server process ended.");
    }

    /// <summary>The server's open file descriptors by what they point at (socket, pipe, the database's files, …).</summary>
    public string Descriptors()
    {
        var kinds = new SortedDictionary<string, int>(StringComparer.Ordinal);
        foreach (var fd in Directory.GetFileSystemEntries($"/proc/{Pid}/fd"))
        {
            string target;
            try
            {
                target = new FileInfo(fd).LinkTarget ?? "?";
            }
            catch (IOException)
            {
                continue;
            }

            var kind = target.StartsWith("socket:", StringComparison.Ordinal) ? "socket"
                : target.StartsWith("pipe:", StringComparison.Ordinal) ? "pipe"
                : target.StartsWith("anon_inode:", StringComparison.Ordinal) ? target
                : target.Contains("load.db", StringComparison.Ordinal) ? Path.GetFileName(target)
                : "file";
            kinds[kind] = kinds.GetValueOrDefault(kind) + 1;
        }

        return string.Join(", ", kinds.Select(k => $"{k.Key} {k.Value}"));
    }

    /// <summary>Total CPU time (user + system) the server process used so far.</summary>
    public TimeSpan CpuTime()
    {
        process.Refresh();
        return process.TotalProcessorTime;
    }

    /// <summary>The child's side: serve until standard input closes, then stop (sessions still active are stopped).</summary>
    public static async Task<int> ServeAsync(IReadOnlyList<string> args)
    {
        var learners = int.Parse(args[0], CultureInfo.InvariantCulture);
        var total = int.Parse(args[1], CultureInfo.InvariantCulture);
        var lab = args.Count > 2 ? args[2] : "hello-linux";
        var folder = Directory.CreateTempSubdirectory("labo-load-").FullName;
        using var phases = new PhaseRecorder();
        var app = await LabServer.BuildAsync(
        [
            "--Server:Urls=http://127.0.0.1:0", $"--LabOrchestrator:DatabasePath={Path.Combine(folder, "load.db")}", "--Logging:LogLevel:Default=Warning",
            "--Quotas:PerUser=1", $"--Quotas:Total={total}", .. args.Skip(3),
        ]);
        await app.StartAsync();
        try
        {
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            var catalog = app.Services.GetRequiredService<ILabCatalog>();
            await catalog.AddAsync(LabSource.FromPath(Repository.Path("labs", lab)));
            await catalog.SetPublishedAsync(lab, true);
            var accounts = app.Services.GetRequiredService<IAccountService>();
            var tokens = new List<string>();
            for (var i = 0; i < learners; i++)
            {
                var id = $"learner{i:000}";
                await accounts.CreateUserAsync(id, id, "correct-horse-battery", Roles.Learner);
                tokens.Add((await accounts.CreateApiTokenAsync(id, "load")).Secret);
            }

            Console.WriteLine(JsonSerializer.Serialize(new Ready(address, tokens)));
            while (await Console.In.ReadLineAsync() is { } command)
            {
                if (command == "phases")
                {
                    Console.WriteLine(phases.TakeJson());
                }
                else if (command == "heap")
                {
                    // What stays reachable, after full compacting collections: a leak grows this, pools and caches do not.
                    // Idle pooled SQLite connections are closed first (two descriptors each, kept for reuse, not a leak);
                    // a connection never given back to the pool stays open and still counts.
                    Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
                    GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
                    GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
                    GC.WaitForPendingFinalizers();
                    GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
                    Console.WriteLine($"heap {GC.GetTotalMemory(forceFullCollection: false).ToString(CultureInfo.InvariantCulture)}");
                }
            }
        }
        finally
        {
            var sessions = app.Services.GetRequiredService<Sessions.ISessionService>();
            foreach (var session in await sessions.ListAsync(new Sessions.SessionQuery { ActiveOnly = true }))
            {
                await sessions.StopAsync(session.Id);
            }

            await app.StopAsync();
            await app.DisposeAsync();
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }

        return 0;
    }

    public async ValueTask DisposeAsync()
    {
        process.StandardInput.Close();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
        }

        process.Dispose();
    }

    internal sealed record Ready(string Address, IReadOnlyList<string> Tokens);
}
