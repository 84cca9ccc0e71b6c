using System.Diagnostics;
using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace LabOrchestrator.Cli.Tests.Commands;

/// <summary>What the crash cases share: child processes, the server, and what Podman and the database hold.</summary>
public sealed partial class CrashRecoveryTests
{
    private const string AdminPassword = "crash-test-admin-password-1";

    private readonly System.Collections.Concurrent.ConcurrentQueue<string> serverOutput = new();

    /// <summary>Starts <c>labctl serve</c> with short heartbeats and reconciler passes, and quick pool refills.</summary>
    private async Task<(Process Server, Uri Address)> StartServerAsync()
    {
        var server = StartLabctl(["serve", "--urls", "http://127.0.0.1:0", "--skip-host-checks"], new Dictionary<string, string>
        {
            ["Auth__AdminPassword"] = AdminPassword,
            ["LabOrchestrator__Recovery__HeartbeatInterval"] = "00:00:01",
            ["LabOrchestrator__Recovery__HeartbeatTimeout"] = "00:00:03",
            ["LabOrchestrator__Recovery__ReconcileInterval"] = "00:00:02",
            ["Pools__RefillPeriod"] = "00:00:01",
            ["Pools__RetryBackoff"] = "00:00:01",
        });
        var serving = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        server.OutputDataReceived += (_, line) =>
        {
            if (line.Data is { } text && System.Text.RegularExpressions.Regex.Match(text, @"Serving on (http://[^\s,]+)") is { Success: true } match)
            {
                serving.TrySetResult(new Uri(match.Groups[1].Value));
            }
        };
        server.OutputDataReceived += (_, line) => serverOutput.Enqueue(line.Data ?? "");
        server.ErrorDataReceived += (_, line) => serverOutput.Enqueue(line.Data ?? "");
        server.BeginOutputReadLine();
        server.BeginErrorReadLine();
        return (server, await serving.Task.WaitAsync(Deadline, Ct));
    }

    /// <summary>
    /// Waits for what a restarted server must do. A restart starts its own Podman service and migrates first, and its
    /// reconciler and pools then work; on a loaded machine that takes a while. On a timeout, shows what the server said.
    /// </summary>
    private async Task WaitForServerAsync(Func<Task<bool>> condition)
    {
        try
        {
            await WaitUntilAsync(condition, TimeSpan.FromMinutes(5));
        }
        catch (TimeoutException)
        {
            Assert.Fail($"Not reached after the restart. The server said:\n{string.Join('\n', serverOutput)}");
        }
    }

    /// <summary>Kills the server if it still runs (also one a failed restart left disposed).</summary>
    private static async Task KillAsync(Process server)
    {
        try
        {
            if (!server.HasExited)
            {
                server.Kill(entireProcessTree: true);
                await server.WaitForExitAsync(CancellationToken.None);
            }
        }
        catch (InvalidOperationException)
        {
            // Disposed: it was killed before.
        }

        server.Dispose();
    }

    /// <summary>The first admin, signed in as a browser would be: its cookie and the anti-forgery header.</summary>
    private static async Task<HttpClient> SignInAsync(Uri address)
    {
        var client = new HttpClient(new HttpClientHandler { CookieContainer = new System.Net.CookieContainer() }) { BaseAddress = address };
        var login = await client.PostAsync("/api/auth/login", JsonContent($"{{\"userId\":\"admin\",\"password\":\"{AdminPassword}\"}}"), Ct);
        Assert.True(login.IsSuccessStatusCode, await login.Content.ReadAsStringAsync(Ct));
        var csrf = JsonDocument.Parse(await login.Content.ReadAsStringAsync(Ct)).RootElement.GetProperty("csrfToken").GetString();
        client.DefaultRequestHeaders.Add("X-CSRF-Token", csrf);
        return client;
    }

    private static StringContent JsonContent(string json) => new(json, System.Text.Encoding.UTF8, "application/json");

    private Process StartLabctl(string[] args, IReadOnlyDictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }

        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "labctl.dll"));
        info.ArgumentList.Add("--database");
        info.ArgumentList.Add(labctl.DatabasePath);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        return Process.Start(info) ?? throw new InvalidOperationException("labctl did not start.");
    }

    private async Task<string> NewestSessionAsync()
    {
        string? id = null;
        await WaitUntilAsync(async () => (id = (await SessionsAsync()).LastOrDefault().Id) is not null);
        return id!;
    }

    private async Task<string?> StateAsync(string sessionId) =>
        (await SessionsAsync()).Where(s => s.Id == sessionId).Select(s => s.State).SingleOrDefault();

    private async Task<List<(string Id, string State)>> SessionsAsync(string? user = null)
    {
        var list = await labctl.RunAsync(["session", "list", "--all", "--output", "json", .. user is null ? Array.Empty<string>() : ["--user", user]]);
        if (list.ExitCode != 0)
        {
            // The child may be migrating the new database at this very moment.
            return [];
        }

        using var json = JsonDocument.Parse(list.Out);
        return json.RootElement.EnumerateArray().Select(s => (s.GetProperty("id").GetString()!, s.GetProperty("state").GetString()!)).ToList();
    }

    private static string Label(string sessionId) => $"label=lab-orchestrator.io/session={sessionId}";

    /// <summary>Everything Podman holds with the session's label, asked of Podman itself rather than of the engine.</summary>
    private static async Task<string> LeftoversAsync(string sessionId) =>
        string.Concat(
            await PodmanAsync("pod", "ps", "-q", "--filter", Label(sessionId)),
            await PodmanAsync("ps", "-aq", "--filter", Label(sessionId)),
            await PodmanAsync("network", "ls", "-q", "--filter", Label(sessionId)),
            await PodmanAsync("volume", "ls", "-q", "--filter", Label(sessionId))).Trim();

    /// <summary>The status Podman gives each pod of the session (Running, Paused, Degraded, …).</summary>
    private static async Task<string[]> PodStatusesAsync(string sessionId) =>
        (await PodmanAsync("pod", "ps", "--filter", Label(sessionId), "--format", "{{.Status}}"))
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>
    /// Waits until the child has leased the session (its row, still in <paramref name="state"/>, names an operation
    /// owner), then holds the database's write lock (<see cref="HoldWritesWhileAsync"/>).
    /// </summary>
    private async Task<SqliteConnection?> HoldWritesOnceLeasedAsync(string sessionId, string state)
    {
        await WaitUntilAsync(async () => await ReadLeaseAsync(sessionId) is var (s, owner) && (s != state || owner is not null));
        return await HoldWritesWhileAsync(sessionId, state);
    }

    /// <summary>
    /// Holds SQLite's write lock if the session's row is still in <paramref name="state"/> under an operation owner, so
    /// the owner can go on with the engine's part but can never write the row's end state: the kill lands between the
    /// engine's work and the row's change however fast the engine is. Null (and no lock) when the row had moved on.
    /// </summary>
    private async Task<SqliteConnection?> HoldWritesWhileAsync(string sessionId, string state)
    {
        var connection = new SqliteConnection($"Data Source={labctl.DatabasePath};Pooling=False");
        try
        {
            await connection.OpenAsync(Ct);
            using (var begin = connection.CreateCommand())
            {
                begin.CommandText = "BEGIN IMMEDIATE";
                await begin.ExecuteNonQueryAsync(Ct);
            }

            if (await ReadLeaseAsync(connection, sessionId) is (var now, not null) && now == state)
            {
                return connection;
            }

            await connection.DisposeAsync();
            return null;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>Lets the database be written again (the lock ends with the connection).</summary>
    private static async Task ReleaseAsync(SqliteConnection? held)
    {
        if (held is not null)
        {
            await held.DisposeAsync();
        }
    }

    /// <summary>The session's state and operation owner, read from the database itself.</summary>
    private async Task<(string State, string? Owner)?> ReadLeaseAsync(string sessionId)
    {
        await using var connection = new SqliteConnection($"Data Source={labctl.DatabasePath};Pooling=False");
        await connection.OpenAsync(Ct);
        return await ReadLeaseAsync(connection, sessionId);
    }

    private static async Task<(string State, string? Owner)?> ReadLeaseAsync(SqliteConnection connection, string sessionId)
    {
        using var read = connection.CreateCommand();
        read.CommandText = "SELECT State, OperationOwner FROM sessions WHERE Id = $id";
        read.Parameters.AddWithValue("$id", sessionId);
        await using var row = await read.ExecuteReaderAsync(Ct);
        return await row.ReadAsync(Ct) ? (row.GetString(0), row.IsDBNull(1) ? null : row.GetString(1)) : null;
    }

    private static async Task<string> PodmanAsync(params string[] args)
    {
        var info = new ProcessStartInfo("podman") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info)!;
        var output = await process.StandardOutput.ReadToEndAsync(Ct);
        await process.WaitForExitAsync(Ct);
        return output.Trim();
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan? deadline = null)
    {
        var watch = Stopwatch.StartNew();
        while (!await condition())
        {
            if (watch.Elapsed > (deadline ?? Deadline))
            {
                throw new TimeoutException("The operation never reached the point to kill it at.");
            }

            await Task.Delay(20, Ct);
        }
    }
}
