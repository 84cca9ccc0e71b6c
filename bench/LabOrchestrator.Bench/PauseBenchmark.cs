using System.Diagnostics;
using System.Globalization;
using LabOrchestrator.Hosting;
using LabOrchestrator.Labs;
using LabOrchestrator.Persistence;
using LabOrchestrator.Podman;
using LabOrchestrator.Sessions;
using LabOrchestrator.Users;
using Microsoft.Extensions.DependencyInjection;

namespace LabOrchestrator.Bench;

/// <summary>
/// Pause → resume of a two-hosts session: latency through the library (ISessionService.PauseAsync/ResumeAsync, the
/// engine's libpod pod pause/unpause of both pods at once) against the floor, <c>podman pod pause|unpause</c> of both pods
/// from the command line (also at once); and, in the same run, the CPU and memory the session's containers use while
/// running a busy loop and while paused, read from their cgroups (v1: cpuacct.usage, memory.usage_in_bytes).
/// </summary>
internal static class PauseBenchmark
{
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(3);

    public static async Task<int> RunAsync(int rounds, TextWriter output, CancellationToken cancellationToken)
    {
        var folder = Directory.CreateTempSubdirectory("labo-bench-").FullName;
        var services = new ServiceCollection();
        services.AddLabOrchestrator(o => o.DatabasePath = Path.Combine(folder, "bench.db")).AddPodmanEngine();
        await using var provider = services.BuildServiceProvider();
        await provider.GetRequiredService<LabOrchestratorDatabase>().MigrateAsync(cancellationToken);
        await provider.GetRequiredService<ILabCatalog>().AddAsync(LabSource.FromPath(Repository.Path("labs", "two-hosts")), cancellationToken);
        var sessions = provider.GetRequiredService<ISessionService>();
        var session = await sessions.StartAsync("two-hosts", new UserRef("bench"), cancellationToken: cancellationToken);
        try
        {
            if (session.State != SessionState.Running)
            {
                throw new InvalidOperationException($"The session did not run: {session.FailureReason}");
            }

            var pods = session.Nodes.Select(n => PodmanNames.Pod(session.Id, n.Node)).ToList();
            var containers = session.Nodes.Select(n => PodmanNames.NodeContainer(session.Id, n.Node)).ToList();
            // A busy loop in one node, so that "no CPU while paused" is measured against a node that wants all it can get.
            await sessions.ExecAsync(session.Id, "client", ["sh", "-c", "nohup sh -c 'while :; do :; done' >/dev/null 2>&1 &"], TimeSpan.FromSeconds(30), cancellationToken);

            var pause = new Samples("library pause (ISessionService.PauseAsync)");
            var resume = new Samples("library resume (ISessionService.ResumeAsync)");
            var floorPause = new Samples("floor pause (podman pod pause, both pods at once)");
            var floorResume = new Samples("floor resume (podman pod unpause, both pods at once)");
            for (var round = 0; round <= rounds; round++)
            {
                var libraryFirst = round % 2 == 0;
                for (var turn = 0; turn < 2; turn++)
                {
                    if ((turn == 0) == libraryFirst)
                    {
                        var p = await TimeAsync(() => sessions.PauseAsync(session.Id, cancellationToken));
                        var r = await TimeAsync(() => sessions.ResumeAsync(session.Id, cancellationToken));
                        if (round > 0)
                        {
                            pause.Add(p);
                            resume.Add(r);
                        }
                    }
                    else
                    {
                        var p = await TimeAsync(() => Task.WhenAll(pods.Select(pod => Podman.RunAsync(cancellationToken, "pod", "pause", pod))));
                        var r = await TimeAsync(() => Task.WhenAll(pods.Select(pod => Podman.RunAsync(cancellationToken, "pod", "unpause", pod))));
                        if (round > 0)
                        {
                            floorPause.Add(p);
                            floorResume.Add(r);
                        }
                    }
                }

                await output.WriteLineAsync($"round {round}{(round == 0 ? " (warm-up)" : "")} done");
            }

            var cgroups = await CgroupsAsync(containers, cancellationToken);
            var running = await UsageAsync(cgroups, cancellationToken);
            await sessions.PauseAsync(session.Id, cancellationToken);
            var paused = await UsageAsync(cgroups, cancellationToken);
            await sessions.ResumeAsync(session.Id, cancellationToken);

            await output.WriteLineAsync();
            await output.WriteLineAsync($"Pause and resume of two-hosts (2 pods), {rounds} rounds, {Environment.ProcessorCount} cores:");
            await output.WriteLineAsync();
            await output.WriteLineAsync("| contender | median ms | p90 ms | min ms | max ms |");
            await output.WriteLineAsync("|---|---:|---:|---:|---:|");
            foreach (var s in new[] { pause, floorPause, resume, floorResume })
            {
                await output.WriteLineAsync($"| {s.Name} | {s.Median:0} | {s.Percentile(0.9):0} | {s.Min:0} | {s.Max:0} |");
            }

            await output.WriteLineAsync();
            await output.WriteLineAsync($"Ratio library / floor (medians): pause {pause.Median / floorPause.Median:0.00}, resume {resume.Median / floorResume.Median:0.00}; resume p90 {resume.Percentile(0.9):0} ms (target: under 1000 ms)");
            await output.WriteLineAsync();
            await output.WriteLineAsync($"Session's containers over {Window.TotalSeconds:0} s, one node in a busy loop:");
            await output.WriteLineAsync();
            await output.WriteLineAsync("| state | CPU (cores) | memory MiB |");
            await output.WriteLineAsync("|---|---:|---:|");
            await output.WriteLineAsync($"| running | {running.Cores:0.000} | {running.MemoryMiB:0.0} |");
            await output.WriteLineAsync($"| paused | {paused.Cores:0.000} | {paused.MemoryMiB:0.0} |");
            await output.WriteLineAsync();
            await output.WriteLineAsync($"Paused / running: CPU {(running.Cores > 0 ? paused.Cores / running.Cores : 0):0.000}, memory {paused.MemoryMiB / running.MemoryMiB:0.00}");
            return 0;
        }
        finally
        {
            await sessions.StopAsync(session.Id, CancellationToken.None);
            Directory.Delete(folder, recursive: true);
        }
    }

    private static async Task<TimeSpan> TimeAsync(Func<Task> action)
    {
        var watch = Stopwatch.StartNew();
        await action();
        return watch.Elapsed;
    }

    /// <summary>Each container's cgroup path (the same under every v1 controller), from its main process.</summary>
    private static async Task<List<string>> CgroupsAsync(IEnumerable<string> containers, CancellationToken cancellationToken)
    {
        var paths = new List<string>();
        foreach (var container in containers)
        {
            var pid = (await OutputAsync(cancellationToken, "inspect", "--format", "{{.State.Pid}}", container)).Trim();
            var line = (await File.ReadAllLinesAsync($"/proc/{pid}/cgroup", cancellationToken)).First(l => l.Contains(":cpuacct:", StringComparison.Ordinal) || l.Contains(":cpu,cpuacct:", StringComparison.Ordinal));
            var controller = line.Split(':')[1];
            paths.Add($"/sys/fs/cgroup/{controller}{line.Split(':')[2]}");
        }

        return paths;
    }

    private static async Task<(double Cores, double MemoryMiB)> UsageAsync(List<string> cpuCgroups, CancellationToken cancellationToken)
    {
        var before = cpuCgroups.Sum(Nanoseconds);
        var watch = Stopwatch.StartNew();
        await Task.Delay(Window, cancellationToken);
        var cores = (cpuCgroups.Sum(Nanoseconds) - before) / (watch.Elapsed.TotalMilliseconds * 1_000_000);
        var memory = cpuCgroups.Sum(c => long.Parse(File.ReadAllText(MemoryPath(c, "memory.usage_in_bytes")).Trim(), CultureInfo.InvariantCulture));
        return (cores, memory / (1024.0 * 1024.0));
    }

    private static long Nanoseconds(string cgroup) => long.Parse(File.ReadAllText(Path.Combine(cgroup, "cpuacct.usage")).Trim(), CultureInfo.InvariantCulture);

    private static string MemoryPath(string cpuCgroup, string file)
    {
        var relative = cpuCgroup[("/sys/fs/cgroup/".Length)..];
        return Path.Combine("/sys/fs/cgroup/memory", relative[(relative.IndexOf('/', StringComparison.Ordinal) + 1)..], file);
    }

    private static async Task<string> OutputAsync(CancellationToken cancellationToken, params string[] args)
    {
        var info = new ProcessStartInfo("podman") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException("podman did not start.");
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        await process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        return await stdout;
    }
}
