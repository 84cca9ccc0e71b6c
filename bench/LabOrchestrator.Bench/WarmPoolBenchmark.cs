using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using LabOrchestrator.Engines;
using LabOrchestrator.Labs;
using LabOrchestrator.Server.Accounts;
using LabOrchestrator.Server.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace LabOrchestrator.Bench;

/// <summary>
/// What a learner waits for from pressing Start to the first byte of their terminal, through the real server (Kestrel,
/// SQLite, Podman) and its REST API and gateway: a claim from a warm pool of one node (fresh password set by exec)
/// against a cold start of the same lab. Each round times one of each, alternating which goes first, and waits (not
/// timed) for the pool to hold one ready session (warm) or none, none of them still being removed (cold); one warm-up
/// round is not counted.
/// </summary>
internal static class WarmPoolBenchmark
{
    private const string LabYaml = """
        name: pool-bench
        nodes:
          - name: linux
            image: localhost/lab-base:latest
            access:
              terminal: true
            credentials:
              - name: learner
                username: learner
                password: generate
        limits:
          duration: 1h
        pool:
          size: 1
        """;

    public static async Task<int> RunAsync(int rounds, TextWriter output, CancellationToken cancellationToken)
    {
        var folder = Directory.CreateTempSubdirectory("labo-pool-bench-").FullName;
        await File.WriteAllTextAsync(Path.Combine(folder, "lab.yaml"), LabYaml, cancellationToken);
        using var timeline = new ClaimTimeline();
        var app = await LabServer.BuildAsync(
            ["--Server:Urls=http://127.0.0.1:0", $"--LabOrchestrator:DatabasePath={Path.Combine(folder, "bench.db")}", "--Logging:LogLevel:Default=Warning",
                "--Pools:RefillPeriod=00:00:01"],
            cancellationToken: cancellationToken,
            replaceServices: services => TimeEngine(services, timeline));
        await app.StartAsync(cancellationToken);
        try
        {
            var address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
            await app.Services.GetRequiredService<ILabCatalog>().AddOrUpdateAsync(LabSource.FromPath(folder), publishIfNew: true, cancellationToken);
            var accounts = app.Services.GetRequiredService<IAccountService>();
            await accounts.CreateUserAsync("bench", "Bench", "correct-horse-battery", Roles.Admin, cancellationToken);
            var token = await accounts.CreateApiTokenAsync("bench", "bench", cancellationToken: cancellationToken);
            using var client = new HttpClient { BaseAddress = address };
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token.Secret);

            var warm = new Samples("warm pool: claim → first terminal byte");
            var cold = new Samples("cold start → first terminal byte");
            var warmPrompt = new Samples("warm pool: Running (the claim's answer) → prompt");
            var coldPrompt = new Samples("cold start: Running (seen by polling every 20 ms) → prompt");
            await output.WriteLineAsync($"Load average (1, 5, 15 min) at the start: {LoadAverage()}");
            var warmSteps = new StartBreakdown("warm");
            var coldSteps = new StartBreakdown("cold");
            for (var round = 0; round <= rounds; round++)
            {
                var warmFirst = round % 2 == 0;
                for (var turn = 0; turn < 2; turn++)
                {
                    var isWarm = (turn == 0) == warmFirst;
                    // Not timed: a warm start finds one ready pool session, a cold one an empty pool.
                    await SetPoolAsync(client, isWarm ? null : 0, cancellationToken);
                    await WaitForPoolAsync(client, isWarm ? 1 : 0, cancellationToken);
                    timeline.Clear();
                    var (moments, id, claimed, prompt) = await StartToFirstByteAsync(client, cancellationToken);
                    if (claimed != isWarm)
                    {
                        throw new InvalidOperationException(isWarm ? "The pool had no ready session to claim." : "A cold start claimed a pool session.");
                    }

                    if (round > 0)
                    {
                        (isWarm ? warm : cold).Add(Stopwatch.GetElapsedTime(moments.Posted, moments.FirstByte));
                        (isWarm ? warmPrompt : coldPrompt).Add(Stopwatch.GetElapsedTime(moments.Running, prompt));
                        (isWarm ? warmSteps : coldSteps).Add(moments, timeline.Of(id), timeline);
                    }
                }

                await output.WriteLineAsync($"round {round}{(round == 0 ? " (warm-up)" : "")} done");
            }

            await SetPoolAsync(client, 0, cancellationToken);
            await WaitForPoolAsync(client, 0, cancellationToken);
            await ReportAsync(output, rounds, warm, cold);
            await output.WriteLineAsync();
            await output.WriteLineAsync("| Running → the shell's prompt on the client | median ms | p90 ms | max ms |");
            await output.WriteLineAsync("|---|---:|---:|---:|");
            foreach (var s in new[] { warmPrompt, coldPrompt })
            {
                await output.WriteLineAsync($"| {s.Name} | {s.Median:0} | {s.Percentile(0.9):0} | {s.Max:0} |");
            }

            await output.WriteLineAsync();
            await warmSteps.ReportAsync(output);
            await output.WriteLineAsync();
            await coldSteps.ReportAsync(output);
            return 0;
        }
        finally
        {
            await app.StopAsync(CancellationToken.None);
            // Pool sessions outlive a server's stop by design; a benchmark leaves nothing behind.
            var sessions = app.Services.GetRequiredService<LabOrchestrator.Sessions.ISessionService>();
            foreach (var session in await sessions.ListAsync(new LabOrchestrator.Sessions.SessionQuery { ActiveOnly = true }, CancellationToken.None))
            {
                await sessions.StopAsync(session.Id, CancellationToken.None);
            }

            await app.DisposeAsync();
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>POST /api/sessions, wait until Running, issue a terminal access token, open it, read its first byte and its prompt; the session is stopped after.</summary>
    private static async Task<(StartBreakdown.Moments Moments, string Id, bool Claimed, long Prompt)> StartToFirstByteAsync(HttpClient client, CancellationToken cancellationToken)
    {
        var posted = Stopwatch.GetTimestamp();
        using var start = await client.PostAsJsonAsync("/api/sessions", new { lab = "pool-bench" }, cancellationToken);
        start.EnsureSuccessStatusCode();
        var session = await start.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
        var id = session.GetProperty("id").GetString()!;
        var answered = Stopwatch.GetTimestamp();
        try
        {
            while (session.GetProperty("state").GetString() is "Pending" or "Starting")
            {
                await Task.Delay(20, cancellationToken);
                session = await client.GetFromJsonAsync<JsonElement>($"/api/sessions/{id}", cancellationToken);
            }

            if (session.GetProperty("state").GetString() != "Running")
            {
                throw new InvalidOperationException($"Session {id} is {session.GetProperty("state").GetString()}: {session.GetProperty("failureReason")}");
            }

            var running = Stopwatch.GetTimestamp();
            using var access = await client.PostAsJsonAsync($"/api/sessions/{id}/access", new { kinds = new[] { "terminal" } }, cancellationToken);
            access.EnsureSuccessStatusCode();
            var url = (await access.Content.ReadFromJsonAsync<JsonElement>(cancellationToken)).GetProperty("nodes").GetProperty("linux").GetProperty("terminal").GetString()!;
            var tokenIssued = Stopwatch.GetTimestamp();
            await using var probe = await GatewayProbe.GatewayAsync(new Uri(url), cancellationToken);
            var upgraded = Stopwatch.GetTimestamp();
            await probe.WaitForBytesAsync(1);
            var moments = new StartBreakdown.Moments(posted, answered, running, tokenIssued, upgraded, Stopwatch.GetTimestamp());
            await probe.WaitForPromptAsync();
            return (moments, id, session.TryGetProperty("claimedAt", out _), Stopwatch.GetTimestamp());
        }
        finally
        {
            (await client.DeleteAsync($"/api/sessions/{id}", CancellationToken.None)).EnsureSuccessStatusCode();
        }
    }

    /// <summary>Puts the timed engine in place of the registered one (the server's metrics wrap it in turn).</summary>
    private static void TimeEngine(IServiceCollection services, ClaimTimeline timeline)
    {
        // Engines are keyed by name; the Podman engine is the one the benchmark's sessions use.
        var registered = services.Last(d => d.ServiceType == typeof(ILabEngine) && Equals(d.ServiceKey, LabOrchestrator.Podman.PodmanEngine.EngineName));
        services.Remove(registered);
        services.AddKeyedSingleton<ILabEngine>(registered.ServiceKey, (provider, key) => timeline.Wrap(registered.KeyedImplementationType is { } type
            ? (ILabEngine)ActivatorUtilities.CreateInstance(provider, type)
            : (ILabEngine)registered.KeyedImplementationFactory!(provider, key)));
    }

    private static string LoadAverage() => string.Join(", ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3));

    private static async Task SetPoolAsync(HttpClient client, int? size, CancellationToken cancellationToken) =>
        (await client.PutAsJsonAsync("/api/labs/pool-bench/pool", new { size }, cancellationToken)).EnsureSuccessStatusCode();

    private static async Task WaitForPoolAsync(HttpClient client, int ready, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromMinutes(3));
        while (true)
        {
            var pool = await client.GetFromJsonAsync<JsonElement>("/api/labs/pool-bench/pool", timeout.Token);
            // A shrink stops pool sessions under the start lock: a cold start would wait for their pods' removal too.
            if (pool.GetProperty("ready").GetInt32() == ready && pool.GetProperty("starting").GetInt32() == 0
                && (ready > 0 || (await client.GetFromJsonAsync<JsonElement>("/api/sessions?user=~pool&state=Stopping", timeout.Token)).GetArrayLength() == 0))
            {
                return;
            }

            await Task.Delay(100, timeout.Token);
        }
    }

    private static async Task ReportAsync(TextWriter output, int rounds, Samples warm, Samples cold)
    {
        await output.WriteLineAsync();
        await output.WriteLineAsync($"Start → first terminal byte (REST API + gateway), one lab-base node with a generated password, {rounds} rounds, {Environment.ProcessorCount} cores:");
        await output.WriteLineAsync();
        await output.WriteLineAsync("| contender | median ms | p90 ms | p99 ms | min ms | max ms |");
        await output.WriteLineAsync("|---|---:|---:|---:|---:|---:|");
        foreach (var s in new[] { warm, cold })
        {
            await output.WriteLineAsync($"| {s.Name} | {s.Median:0} | {s.Percentile(0.9):0} | {s.Percentile(0.99):0} | {s.Min:0} | {s.Max:0} |");
        }

        await output.WriteLineAsync();
        await output.WriteLineAsync($"Ratio warm / cold (medians): {warm.Median / cold.Median:0.00}; (p99s): {warm.Percentile(0.99) / cold.Percentile(0.99):0.00}");
        await output.WriteLineAsync($"Load average (1, 5, 15 min) at the end: {LoadAverage()}");
        await output.WriteLineAsync($"Warm p99 {warm.Percentile(0.99):0} ms (target: under 300 ms; with {rounds} samples p99 is close to the maximum)");
    }
}
