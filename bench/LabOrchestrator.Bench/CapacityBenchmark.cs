using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using LabOrchestrator.Engines;

namespace LabOrchestrator.Bench;

/// <summary>
/// How many sessions of a small lab (hello-linux: one node, 500m CPU and 256Mi limits) one server holds on this machine,
/// and what each costs: sessions are started in batches of 10 up to a maximum (or until a start fails), and after every
/// batch, with all sessions idle for 10 s, the server process (RSS, file descriptors, CPU) and the Podman side (memory
/// and CPU time of every container of the sessions, pause containers included, and the RSS of their conmon monitors)
/// are measured. Every session is stopped at the end.
/// </summary>
internal static class CapacityBenchmark
{
    private const int Batch = 10;
    private static readonly TimeSpan Idle = TimeSpan.FromSeconds(10);

    public static async Task<int> RunAsync(int most, TextWriter output, CancellationToken cancellationToken)
    {
        await output.WriteLineAsync($"load before: {Load.Average()}; up to {most} sessions of hello-linux in batches of {Batch}, {Environment.ProcessorCount} cores");
        await using var server = await LoadServer.StartAsync(most, total: most, cancellationToken);
        var clients = server.Info.Tokens.Select(t =>
        {
            var c = new HttpClient { BaseAddress = server.Address, Timeout = TimeSpan.FromMinutes(10) };
            c.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", t);
            return c;
        }).ToList();
        var sessions = new List<(HttpClient Client, string Id)>();
        try
        {
            var empty = await MeasureAsync(server, new HashSet<string>(), cancellationToken);
            await output.WriteLineAsync();
            await output.WriteLineAsync("| sessions | batch start p50 / max s | server RSS MB | server fds | server CPU % idle | containers MB | conmon MB | containers CPU % idle |");
            await output.WriteLineAsync("|---:|---|---:|---:|---:|---:|---:|---:|");
            await output.WriteLineAsync(empty.Row(0, ""));
            var last = empty;
            string? failure = null;
            while (sessions.Count < most && failure is null)
            {
                var batch = clients.Skip(sessions.Count).Take(Batch).ToList();
                var started = await Task.WhenAll(batch.Select(c => StartAsync(c, cancellationToken)));
                sessions.AddRange(started.Where(s => s.Id is not null).Select(s => (s.Client, s.Id!)));
                failure = started.Select(s => s.Failure).FirstOrDefault(f => f is not null);
                var times = started.Where(s => s.Id is not null).Select(s => s.Seconds).Order().ToList();
                last = await MeasureAsync(server, sessions.Select(s => s.Id).ToHashSet(StringComparer.Ordinal), cancellationToken);
                await output.WriteLineAsync(last.Row(sessions.Count, times.Count == 0 ? "" : $"{times[times.Count / 2]:0.0} / {times[^1]:0.0}"));
            }

            var n = sessions.Count;
            await output.WriteLineAsync();
            if (failure is not null)
            {
                await output.WriteLineAsync($"stopped adding sessions: {failure}");
            }

            if (n > 0)
            {
                await output.WriteLineAsync(
                    $"per session ({n} sessions vs none): server {(last.ServerRssMb - empty.ServerRssMb) / n * 1024:0} KB RSS, {(double)(last.ServerFds - empty.ServerFds) / n:0.0} fds, " +
                    $"{(last.ServerCpuPercent - empty.ServerCpuPercent) / n:0.000} % CPU idle; Podman side {last.ContainersMb / n:0.0} MB containers + {last.ConmonMb / n:0.0} MB conmon, {last.ContainersCpuPercent / n:0.000} % CPU idle");
            }
        }
        finally
        {
            await Task.WhenAll(sessions.Select(async s => (await s.Client.DeleteAsync($"/api/sessions/{s.Id}", CancellationToken.None)).Dispose()));
            clients.ForEach(c => c.Dispose());
        }

        var leaks = await PodmanObjects.OfSessionsAsync(sessions.Select(s => s.Id).ToHashSet(StringComparer.Ordinal), cancellationToken);
        await output.WriteLineAsync($"after stopping all: {leaks.Count} Podman objects left; load after: {Load.Average()}");
        return leaks.Count == 0 ? 0 : 1;
    }

    private static async Task<(HttpClient Client, string? Id, double Seconds, string? Failure)> StartAsync(HttpClient client, CancellationToken cancellationToken)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        using var start = await client.PostAsJsonAsync("/api/sessions", new { lab = "hello-linux" }, cancellationToken);
        if (start.StatusCode != HttpStatusCode.Accepted)
        {
            return (client, null, 0, $"start answered {(int)start.StatusCode}: {await start.Content.ReadAsStringAsync(cancellationToken)}");
        }

        var id = (await start.Content.ReadFromJsonAsync<JsonElement>(cancellationToken)).GetProperty("id").GetString()!;
        while (true)
        {
            var session = await client.GetFromJsonAsync<JsonElement>($"/api/sessions/{id}", cancellationToken);
            var state = session.GetProperty("state").GetString();
            if (state == "Running")
            {
                return (client, id, clock.Elapsed.TotalSeconds, null);
            }

            if (state is "Failed" or "Stopped")
            {
                return (client, id, clock.Elapsed.TotalSeconds, $"session {id} {state}: {(session.TryGetProperty("failureReason", out var r) ? r.GetString() : "")}");
            }

            await Task.Delay(250, cancellationToken);
        }
    }

    /// <summary>Waits <see cref="Idle"/> with nothing to do and measures both sides over that window.</summary>
    private static async Task<Measurement> MeasureAsync(LoadServer server, IReadOnlySet<string> sessions, CancellationToken cancellationToken)
    {
        var containers = await ContainersAsync(sessions, cancellationToken);
        var cpuBefore = server.CpuTime();
        var containersBefore = await ContainerStatsAsync(containers, cancellationToken);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await Task.Delay(Idle, cancellationToken);
        var containersAfter = await ContainerStatsAsync(containers, cancellationToken);
        var window = clock.Elapsed.TotalSeconds;
        var serverCpu = (server.CpuTime() - cpuBefore).TotalSeconds / window * 100;
        var containerCpu = (containersAfter.CpuSeconds - containersBefore.CpuSeconds) / window * 100;
        var (rss, fds) = server.Measure();
        return new Measurement(rss, fds, serverCpu, containersAfter.MemoryMb, ConmonMb(containers), containerCpu);
    }

    private static async Task<IReadOnlyList<string>> ContainersAsync(IReadOnlySet<string> sessions, CancellationToken cancellationToken)
    {
        if (sessions.Count == 0)
        {
            return [];
        }

        var json = await PodmanObjects.OutputAsync(["ps", "-a", "--format", "json"], cancellationToken);
        return JsonDocument.Parse(json).RootElement.EnumerateArray()
            .Where(c => c.TryGetProperty("Labels", out var l) && l.ValueKind == JsonValueKind.Object && l.TryGetProperty(LabLabels.Session, out var s) && sessions.Contains(s.GetString() ?? ""))
            .Select(c => c.GetProperty("Id").GetString()!)
            .ToList();
    }

    /// <summary>Sum of memory in use and CPU time used so far by the containers (podman stats).</summary>
    private static async Task<(double MemoryMb, double CpuSeconds)> ContainerStatsAsync(IReadOnlyList<string> containers, CancellationToken cancellationToken)
    {
        if (containers.Count == 0)
        {
            return (0, 0);
        }

        var json = await PodmanObjects.OutputAsync(["stats", "--no-stream", "--format", "json", .. containers], cancellationToken);
        double memory = 0, cpu = 0;
        foreach (var c in JsonDocument.Parse(json).RootElement.EnumerateArray())
        {
            memory += Bytes(c.GetProperty("mem_usage").GetString()!.Split('/')[0].Trim()) / (1024 * 1024);
            cpu += Duration(c.GetProperty("cpu_time").GetString()!);
        }

        return (memory, cpu);
    }

    /// <summary>RSS of the conmon processes that watch these containers.</summary>
    private static double ConmonMb(IReadOnlyList<string> containers)
    {
        if (containers.Count == 0)
        {
            return 0;
        }

        double kb = 0;
        foreach (var dir in Directory.GetDirectories("/proc").Where(d => int.TryParse(Path.GetFileName(d), out _)))
        {
            try
            {
                if (File.ReadAllText(Path.Combine(dir, "comm")).Trim() != "conmon")
                {
                    continue;
                }

                var cmdline = File.ReadAllText(Path.Combine(dir, "cmdline"));
                if (containers.Any(c => cmdline.Contains(c, StringComparison.Ordinal)))
                {
                    var rss = File.ReadLines(Path.Combine(dir, "status")).First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
                    kb += double.Parse(rss.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
                }
            }
            catch (IOException)
            {
                // The process ended meanwhile.
            }
        }

        return kb / 1024;
    }

    private static double Bytes(string text)
    {
        var i = text.TakeWhile(ch => char.IsDigit(ch) || ch == '.').Count();
        var value = double.Parse(text[..i], CultureInfo.InvariantCulture);
        return text[i..].Trim() switch
        {
            "kB" or "KB" => value * 1000,
            "MB" => value * 1000 * 1000,
            "GB" => value * 1000 * 1000 * 1000,
            _ => value,
        };
    }

    /// <summary>Go's duration text as podman prints it: "306.494073ms", "1.5s", "2m3.1s".</summary>
    private static double Duration(string text)
    {
        double seconds = 0;
        foreach (System.Text.RegularExpressions.Match m in System.Text.RegularExpressions.Regex.Matches(text, @"([\d.]+)(ns|µs|us|ms|s|m|h)"))
        {
            var value = double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
            seconds += m.Groups[2].Value switch
            {
                "ns" => value / 1e9,
                "µs" or "us" => value / 1e6,
                "ms" => value / 1e3,
                "s" => value,
                "m" => value * 60,
                _ => value * 3600,
            };
        }

        return seconds;
    }

    private sealed record Measurement(double ServerRssMb, int ServerFds, double ServerCpuPercent, double ContainersMb, double ConmonMb, double ContainersCpuPercent)
    {
        public string Row(int sessions, string startTimes) =>
            $"| {sessions} | {startTimes} | {ServerRssMb:0.0} | {ServerFds} | {ServerCpuPercent:0.00} | {ContainersMb:0.0} | {ConmonMb:0.0} | {ContainersCpuPercent:0.00} |";
    }
}
