using System.Diagnostics;
using k8s;
using LabOrchestrator.Compilation;
using LabOrchestrator.Hosting;
using LabOrchestrator.Labs;
using LabOrchestrator.Persistence;
using LabOrchestrator.Podman;
using LabOrchestrator.Sessions;
using LabOrchestrator.Users;
using Microsoft.Extensions.DependencyInjection;

namespace LabOrchestrator.Bench;

/// <summary>
/// Reset of one node (client of labs/two-hosts, on a running session) until it runs again: through the library
/// (ISessionService.ResetAsync: recompile, remove the pod by label, SessionApplier, readiness) against the floor,
/// `podman pod rm` + `podman kube play` of the same pod at the same address. Rounds alternate which goes first; one
/// warm-up round of each is not counted.
/// </summary>
internal static class ResetBenchmark
{
    private const string Node = "client";

    public static async Task<int> RunAsync(int rounds, TextWriter output, CancellationToken cancellationToken)
    {
        var folder = Directory.CreateTempSubdirectory("labo-bench-").FullName;
        var services = new ServiceCollection();
        services.AddLabOrchestrator(o => o.DatabasePath = Path.Combine(folder, "bench.db")).AddPodmanEngine();
        await using var provider = services.BuildServiceProvider();
        await provider.GetRequiredService<LabOrchestratorDatabase>().MigrateAsync(cancellationToken);
        var lab = (await provider.GetRequiredService<ILabCatalog>().AddAsync(LabSource.FromPath(Repository.Path("labs", "two-hosts")), cancellationToken)).Definition;
        var sessions = provider.GetRequiredService<ISessionService>();
        var session = await sessions.StartAsync("two-hosts", new UserRef("bench"), cancellationToken: cancellationToken);
        var library = new Samples("library (ISessionService.ResetAsync)");
        var floor = new Samples("floor (podman pod rm + kube play)");
        try
        {
            var plan = LabCompiler.Compile(lab, new SessionContext(session.Id, "bench", session.Credentials.Select(c => new ResolvedCredential(c.Node, c.Name, c.Username, c.Password)).ToList()));
            var network = PodmanNames.Network(session.Id, "lan");
            var ip = (await OutputAsync("inspect", "--format", $"{{{{(index .NetworkSettings.Networks \"{network}\").IPAddress}}}}", PodmanNames.NodeContainer(session.Id, Node))).Trim();
            var file = Path.Combine(folder, $"{Node}.yaml");
            var pod = PodAdapter.Adapt(plan, plan.GetNode(Node), [new NodeAddress(Node, "lan", ip)], new PodmanEngineOptions(), new PodmanService("", null, null));
            await File.WriteAllTextAsync(file, KubernetesYaml.Serialize(pod), cancellationToken);
            for (var round = 0; round <= rounds; round++)
            {
                var libraryFirst = round % 2 == 0;
                for (var turn = 0; turn < 2; turn++)
                {
                    var watch = Stopwatch.StartNew();
                    if ((turn == 0) == libraryFirst)
                    {
                        var reset = await sessions.ResetAsync(session.Id, Node, clearProgress: false, cancellationToken: cancellationToken);
                        if (reset.State != SessionState.Running)
                        {
                            throw new InvalidOperationException($"The library's reset failed: {reset.FailureDetail}");
                        }
                    }
                    else
                    {
                        await Podman.RunAsync(cancellationToken, "pod", "rm", "--force", "--time", "0", PodmanNames.Pod(session.Id, Node));
                        await Podman.RunAsync(cancellationToken, "kube", "play", "--network", $"{network}:ip={ip}", file);
                    }

                    if (round > 0)
                    {
                        ((turn == 0) == libraryFirst ? library : floor).Add(watch.Elapsed);
                    }
                }

                await output.WriteLineAsync($"round {round}{(round == 0 ? " (warm-up)" : "")} done");
            }
        }
        finally
        {
            await sessions.StopAsync(session.Id, CancellationToken.None);
            Directory.Delete(folder, recursive: true);
        }

        await output.WriteLineAsync();
        await output.WriteLineAsync($"Reset of one node of two-hosts until it runs again, {rounds} rounds, {Environment.ProcessorCount} cores:");
        await output.WriteLineAsync();
        await output.WriteLineAsync("| contender | median ms | min ms | max ms |");
        await output.WriteLineAsync("|---|---:|---:|---:|");
        foreach (var s in new[] { library, floor })
        {
            await output.WriteLineAsync($"| {s.Name} | {s.Median:0} | {s.Min:0} | {s.Max:0} |");
        }

        await output.WriteLineAsync();
        await output.WriteLineAsync($"Ratio library / floor (medians): {library.Median / floor.Median:0.00}");
        return 0;
    }

    private static async Task<string> OutputAsync(params string[] args)
    {
        var start = new ProcessStartInfo("podman") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var text = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        return process.ExitCode == 0 ? text : throw new InvalidOperationException($"podman {string.Join(' ', args)} failed: {await process.StandardError.ReadToEndAsync()}");
    }
}
