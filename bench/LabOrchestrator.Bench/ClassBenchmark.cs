using System.Diagnostics;
using LabOrchestrator.Labs;

namespace LabOrchestrator.Bench;

/// <summary>
/// Issue 14, a class at once: N learners start labs/two-hosts at the same moment through the API of a real server (a
/// child process, Kestrel on loopback, its own SQLite database, real Podman), each follows its session's event stream
/// until Running and reads the first byte of its terminal; then all stop at the same moment and follow the stream until
/// Stopped (<see cref="ClassLearner"/>). The floor, in the same run, plays and removes the same pods with N learners'
/// worth of parallel podman command lines (<see cref="ClassFloor"/>). Rounds alternate which goes first. Prints the time
/// until all are Running and all Stopped, per-learner p50 and max, library / floor ratios, the load average, and where
/// the server's time went (its session spans, <see cref="PhaseRecorder"/>).
/// </summary>
internal static class ClassBenchmark
{
    public static async Task<int> RunAsync(IReadOnlyList<int> sizes, int rounds, IReadOnlyList<string> configuration, TextWriter output, CancellationToken cancellationToken)
    {
        await output.WriteLineAsync($"class: {string.Join(", ", sizes)} learners, {rounds} round(s), {Environment.ProcessorCount} cores, load {Load.Average()}, server configuration: {(configuration.Count == 0 ? "defaults" : string.Join(' ', configuration))}");
        var lab = LabParser.Parse(LabSource.FromPath(Repository.Path("labs", "two-hosts"))).GetLabOrThrow();
        var most = sizes.Max();
        await using var server = await LoadServer.StartAsync(most, total: most, cancellationToken, "two-hosts", configuration);
        var sessions = new HashSet<string>(StringComparer.Ordinal);
        var results = new List<Result>();
        var failures = 0;

        // One learner and one floor learner first, so that JIT, pools and Podman's caches are warm; not counted.
        await LibraryAsync(server, 1, sessions, cancellationToken);
        await FloorAsync(lab, 1, sessions, cancellationToken);
        await server.PhasesAsync(cancellationToken);

        for (var round = 0; round < rounds; round++)
        {
            foreach (var n in sizes)
            {
                var libraryFirst = round % 2 == 0;
                for (var turn = 0; turn < 2; turn++)
                {
                    var result = (turn == 0) == libraryFirst
                        ? await LibraryAsync(server, n, sessions, cancellationToken)
                        : await FloorAsync(lab, n, sessions, cancellationToken);
                    results.Add(result);
                    failures += result.Errors.Count;
                    await output.WriteLineAsync($"round {round + 1}, {n} learners, {result.Contender}: all Running {Seconds(result.Running.Max)} s, all Stopped {Seconds(result.Stopped.Max)} s, {result.Errors.Count} errors, load {result.LoadBefore} → {result.LoadAfter}");
                    foreach (var error in result.Errors.Take(5))
                    {
                        await output.WriteLineAsync($"  - {error}");
                    }

                    if (result.Phases is { } phases)
                    {
                        await ReportPhasesAsync(output, n, phases);
                    }
                }
            }
        }

        var leaks = await PodmanObjects.OfSessionsAsync(sessions, cancellationToken);
        await ReportAsync(output, results, sizes);
        await output.WriteLineAsync($"errors: {failures}; Podman objects left of the run's {sessions.Count} sessions: {leaks.Count}{(leaks.Count > 0 ? ": " + string.Join(", ", leaks.Take(10)) : "")}");
        await output.WriteLineAsync($"load after: {Load.Average()}");
        return failures == 0 && leaks.Count == 0 ? 0 : 1;
    }

    private static async Task<Result> LibraryAsync(LoadServer server, int n, HashSet<string> sessions, CancellationToken cancellationToken)
    {
        var learners = server.Info.Tokens.Take(n).Select(token => new ClassLearner(server.Address, token)).ToList();
        var result = new Result("library (labctl serve, API)", n, Load.Average());
        try
        {
            await Task.WhenAll(learners.Select(l => l.PrepareAsync(cancellationToken)));
            var clock = await AllAtOnceAsync(learners, (l, c) => l.StartAsync(c, cancellationToken), result.Errors);
            sessions.UnionWith(learners.Where(l => l.SessionId is not null).Select(l => l.SessionId!));
            result.Add(learners.Where(l => l.Running > TimeSpan.Zero).Select(l => l.Running), result.Running);
            result.Add(learners.Where(l => l.FirstByte > TimeSpan.Zero).Select(l => l.FirstByte), result.FirstByte);
            clock = await AllAtOnceAsync(learners.Where(l => l.SessionId is not null).ToList(), (l, c) => l.StopAsync(c, cancellationToken), result.Errors);
            result.Add(learners.Where(l => l.Stopped > TimeSpan.Zero).Select(l => l.Stopped), result.Stopped);
        }
        finally
        {
            foreach (var learner in learners)
            {
                await learner.DisposeAsync();
            }
        }

        result.Phases = await server.PhasesAsync(cancellationToken);
        result.LoadAfter = Load.Average();
        return result;
    }

    private static async Task<Result> FloorAsync(LabDefinition lab, int n, HashSet<string> sessions, CancellationToken cancellationToken)
    {
        var floors = Enumerable.Range(0, n).Select(i => new ClassFloor(lab, i)).ToList();
        sessions.UnionWith(floors.Select(f => f.SessionId));
        var result = new Result("floor (parallel podman CLI)", n, Load.Average());
        try
        {
            await Task.WhenAll(floors.Select(f => f.PrepareAsync(cancellationToken)));
            await AllAtOnceAsync(floors, (f, c) => f.StartAsync(c, cancellationToken), result.Errors);
            result.Add(floors.Where(f => f.Running > TimeSpan.Zero).Select(f => f.Running), result.Running);
            await AllAtOnceAsync(floors, (f, c) => f.StopAsync(c, cancellationToken), result.Errors);
            result.Add(floors.Where(f => f.Stopped > TimeSpan.Zero).Select(f => f.Stopped), result.Stopped);
        }
        finally
        {
            foreach (var floor in floors.Where(f => f.Stopped == TimeSpan.Zero))
            {
                try
                {
                    await floor.RemoveAsync(CancellationToken.None);
                }
                catch (InvalidOperationException)
                {
                    // Part of it was never made.
                }
            }

            foreach (var floor in floors)
            {
                floor.Dispose();
            }
        }

        result.LoadAfter = Load.Average();
        return result;
    }

    /// <summary>Releases all at one moment (a barrier) and returns the clock they were timed by; failures are collected, not thrown.</summary>
    private static async Task<Stopwatch> AllAtOnceAsync<T>(IReadOnlyList<T> learners, Func<T, Stopwatch, Task> step, System.Collections.Concurrent.ConcurrentBag<string> errors)
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var clock = new Stopwatch();
        var tasks = learners.Select(l => Task.Run(async () =>
        {
            await gate.Task;
            try
            {
                await step(l, clock);
            }
#pragma warning disable CA1031 // A learner's failure is reported with the figures; the others go on.
            catch (Exception e)
#pragma warning restore CA1031
            {
                errors.Add(e.Message);
            }
        })).ToList();
        await Task.Delay(200);
        clock.Start();
        gate.SetResult();
        await Task.WhenAll(tasks);
        return clock;
    }

    private static async Task ReportAsync(TextWriter output, List<Result> results, IReadOnlyList<int> sizes)
    {
        await output.WriteLineAsync();
        await output.WriteLineAsync("| learners | contender | all Running s | Running p50 / max s | first prompt byte, all s | all Stopped s | Stopped p50 / max s | load before → after |");
        await output.WriteLineAsync("|---:|---|---:|---|---:|---:|---|---|");
        foreach (var r in results)
        {
            await output.WriteLineAsync($"| {r.Learners} | {r.Contender} | {Seconds(r.Running.Max)} | {Seconds(r.Running.P50)} / {Seconds(r.Running.Max)} | {(r.FirstByte.Count == 0 ? "" : Seconds(r.FirstByte.Max))} | {Seconds(r.Stopped.Max)} | {Seconds(r.Stopped.P50)} / {Seconds(r.Stopped.Max)} | {r.LoadBefore} → {r.LoadAfter} |");
        }

        await output.WriteLineAsync();
        foreach (var n in sizes)
        {
            var library = results.Where(r => r.Learners == n && r.Phases is not null).ToList();
            var floor = results.Where(r => r.Learners == n && r.Phases is null).ToList();
            if (library.Count == 0 || floor.Count == 0)
            {
                continue;
            }

            var start = Median(library.Select(r => r.Running.Max)) / Median(floor.Select(r => r.Running.Max));
            var stop = Median(library.Select(r => r.Stopped.Max)) / Median(floor.Select(r => r.Stopped.Max));
            await output.WriteLineAsync($"{n} learners: library / floor, all Running {start:0.00}, all Stopped {stop:0.00} (medians over {library.Count} round(s); target ≤ 1.20: start {(start <= 1.2 ? "met" : "missed")}, stop {(stop <= 1.2 ? "met" : "missed")})");
        }
    }

    private static async Task ReportPhasesAsync(TextWriter output, int n, PhaseRecorder.Report report)
    {
        await output.WriteLineAsync($"  server phases, {n} learners (thread pool: at most {report.MaxQueuedWorkItems} queued work items, {report.MaxThreads} threads):");
        await output.WriteLineAsync("  | phase | n | total s | p50 ms | p90 ms | max ms |");
        await output.WriteLineAsync("  |---|---:|---:|---:|---:|---:|");
        foreach (var (phase, values) in report.Phases.OrderBy(p => PhaseOrder(p.Key)).ThenBy(p => p.Key, StringComparer.Ordinal))
        {
            var samples = new Samples(phase);
            values.ForEach(v => samples.Add(TimeSpan.FromMilliseconds(v)));
            await output.WriteLineAsync($"  | {phase} | {samples.Count} | {values.Sum() / 1000:0.0} | {samples.Median:0} | {samples.Percentile(0.9):0} | {samples.Max:0} |");
        }
    }

    private static int PhaseOrder(string phase) =>
        phase.StartsWith("http POST", StringComparison.Ordinal) ? 0
        : phase.StartsWith("admission", StringComparison.Ordinal) || phase == "session.create" ? 1
        : phase.StartsWith("start", StringComparison.Ordinal) || phase == "engine.apply" ? 2
        : phase.StartsWith("http DELETE", StringComparison.Ordinal) ? 4
        : phase.StartsWith("stop", StringComparison.Ordinal) || phase == "engine.delete" ? 5
        : phase is "podman.list" or "podman.remove_pod" or "podman.list_leftovers" or "podman.remove_networks_volumes" ? 6
        : 3;

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count == 0 ? double.NaN : (sorted[(sorted.Count - 1) / 2] + sorted[sorted.Count / 2]) / 2;
    }

    private static string Seconds(double ms) => double.IsNaN(ms) ? "–" : (ms / 1000).ToString("0.0", System.Globalization.CultureInfo.InvariantCulture);

    private sealed class Result(string contender, int learners, string loadBefore)
    {
        public string Contender { get; } = contender;
        public int Learners { get; } = learners;
        public string LoadBefore { get; } = loadBefore;
        public string LoadAfter { get; set; } = "";
        public Figures Running { get; } = new();
        public Figures FirstByte { get; } = new();
        public Figures Stopped { get; } = new();
        public System.Collections.Concurrent.ConcurrentBag<string> Errors { get; } = [];
        public PhaseRecorder.Report? Phases { get; set; }

#pragma warning disable CA1822 // Reads as a step of the result.
        public void Add(IEnumerable<TimeSpan> times, Figures figures) => figures.Values.AddRange(times.Select(t => t.TotalMilliseconds));
#pragma warning restore CA1822
    }

    private sealed class Figures
    {
        public List<double> Values { get; } = [];
        public int Count => Values.Count;
        public double Max => Values.Count == 0 ? double.NaN : Values.Max();
        public double P50 => Median(Values);
    }
}
