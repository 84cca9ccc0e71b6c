using System.Globalization;
using System.Text.RegularExpressions;

namespace LabOrchestrator.Bench;

/// <summary>
/// Issue 12's load test: N simulated learners (<see cref="LearnerLoad"/>) against the real server on loopback with real
/// Podman, concurrently, until a deadline; then zero errors, zero Podman objects left of any session the run made,
/// server memory and file descriptors back near where they were, and the per-user quota held (every second start 429).
/// Returns 1 when any of these fails, so it can gate a release.
/// </summary>
internal static partial class LoadBenchmark
{
    public static async Task<int> RunAsync(int learners, TimeSpan duration, TextWriter output, CancellationToken cancellationToken)
    {
        await output.WriteLineAsync($"load before: {Load.Average()}; {learners} learners for {duration.TotalSeconds:0} s, {Environment.ProcessorCount} cores");
        var figures = new LoadFigures();
        await using var server = await LoadServer.StartAsync(learners, total: learners, cancellationToken);

        // One round first, so that JIT, connection pools and SQLite's cache are warm when "before" is taken.
        await new LearnerLoad(server.Address, server.Info.Tokens[0], new LoadFigures()).RunAsync(DateTimeOffset.MinValue, cancellationToken);
        var heapBefore = await server.HeapMbAsync(cancellationToken);
        var before = server.Measure();
        var cpuBefore = server.CpuTime();
        await output.WriteLineAsync($"server before: {heapBefore:0.0} MB managed heap, {before.RssMb:0.0} MB RSS, {before.Fds} file descriptors ({server.Descriptors()})");

        using var stopSampling = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var sampler = SampleActiveAsync(server.Address, stopSampling.Token);
        var deadline = DateTimeOffset.UtcNow + duration;
        using var hardStop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        hardStop.CancelAfter(duration + TimeSpan.FromMinutes(10));
        var wall = System.Diagnostics.Stopwatch.StartNew();
        await Task.WhenAll(server.Info.Tokens.Select(token => Task.Run(() => new LearnerLoad(server.Address, token, figures).RunAsync(deadline, hardStop.Token), CancellationToken.None)));
        wall.Stop();
        await stopSampling.CancelAsync();
        var maxActive = await sampler;

        // Pooled connections (to the Podman service, SQLite) idle out after a minute: "after" is taken once they may have.
        var cpu = server.CpuTime() - cpuBefore;
        var busy = server.Measure();
        await Task.Delay(TimeSpan.FromSeconds(70), cancellationToken);
        var heapAfter = await server.HeapMbAsync(cancellationToken);
        var after = server.Measure();
        var leaks = await PodmanObjects.OfSessionsAsync(figures.Sessions.ToHashSet(StringComparer.Ordinal), cancellationToken);

        await output.WriteLineAsync();
        await output.WriteLineAsync($"{learners} learners, {wall.Elapsed.TotalSeconds:0} s, {figures.Cycles.Value} rounds (start, terminal, check, stop), {figures.Sessions.Count} sessions:");
        await output.WriteLineAsync();
        await output.WriteLineAsync("| step | n | p50 ms | p90 ms | p99 ms | max ms |");
        await output.WriteLineAsync("|---|---:|---:|---:|---:|---:|");
        foreach (var step in new[] { figures.Start, figures.Terminal, figures.Check, figures.Stop })
        {
            var s = step.Samples;
            await output.WriteLineAsync(s.Count == 0
                ? $"| {s.Name} | 0 | | | | |"
                : $"| {s.Name} | {s.Count} | {s.Median:0} | {s.Percentile(0.9):0} | {s.Percentile(0.99):0} | {s.Max:0} |");
        }

        var quota = figures.QuotaAnswers.ToList();
        var quotaHeld = quota.Count > 0 && quota.All(a => a == 429);
        await output.WriteLineAsync();
        await output.WriteLineAsync($"errors: {figures.Errors.Count}");
        foreach (var error in figures.Errors.Take(10))
        {
            await output.WriteLineAsync($"  - {error}");
        }

        await output.WriteLineAsync($"quota: {quota.Count(a => a == 429)} of {quota.Count} second starts refused with 429 ({(quotaHeld ? "held" : "NOT held")}); most sessions active at once (from /metrics): {maxActive} (Quotas:Total {learners})");
        await output.WriteLineAsync($"Podman objects left of this run's sessions: {leaks.Count}{(leaks.Count > 0 ? ": " + string.Join(", ", leaks.Take(10)) : "")}");
        await output.WriteLineAsync($"server right after the run: {busy.RssMb:0.0} MB RSS, {busy.Fds} file descriptors; CPU {cpu.TotalSeconds:0.0} s over the run");
        await output.WriteLineAsync($"server 70 s later: {heapAfter:0.0} MB managed heap ({heapAfter - heapBefore:+0.0;-0.0} MB), {after.RssMb:0.0} MB RSS ({after.RssMb - before.RssMb:+0.0;-0.0} MB), {after.Fds} file descriptors ({after.Fds - before.Fds:+0;-0}: {server.Descriptors()})");
        await output.WriteLineAsync($"load after: {Load.Average()}");
        // Leak bounds: a few descriptors and megabytes of slack for caches that fill once (EF Core's query cache, pools).
        var ok = figures.Errors.IsEmpty && leaks.Count == 0 && quotaHeld && maxActive <= learners && after.Fds - before.Fds <= 10 && heapAfter - heapBefore <= 10;
        await output.WriteLineAsync(ok ? "PASS" : "FAIL");
        return ok ? 0 : 1;
    }

    /// <summary>Scrapes /metrics (loopback may) every 2 s and returns the most sessions seen holding resources at once.</summary>
    private static async Task<long> SampleActiveAsync(Uri server, CancellationToken cancellationToken)
    {
        using var client = new HttpClient { BaseAddress = server };
        long max = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                var text = await client.GetStringAsync("/metrics", cancellationToken);
                var active = ActiveSeries().Matches(text).Sum(m => long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture));
                max = Math.Max(max, active);
                await Task.Delay(TimeSpan.FromSeconds(2), cancellationToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        return max;
    }

    [GeneratedRegex("""^labo_sessions\{[^}]*state="(?:pending|starting|running|stopping)"[^}]*\} (\d+)""", RegexOptions.Multiline)]
    private static partial Regex ActiveSeries();
}
