using System.Diagnostics;
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
/// Cold start of labs/two-hosts until both nodes run: through the library (store, compiler, Podman engine over
/// the REST API) against the floor, `podman network create` + `podman kube play` of the same compiled pods.
/// Rounds alternate which contender goes first; one warm-up round of each is not counted.
/// </summary>
internal static class ColdStartBenchmark
{
    public static async Task<int> RunAsync(int rounds, TextWriter output, CancellationToken cancellationToken, string target = "at most 1.30")
    {
        var folder = Directory.CreateTempSubdirectory("labo-bench-").FullName;
        var services = new ServiceCollection();
        services.AddLabOrchestrator(o => o.DatabasePath = Path.Combine(folder, "bench.db")).AddPodmanEngine();
        await using var provider = services.BuildServiceProvider();
        await provider.GetRequiredService<LabOrchestratorDatabase>().MigrateAsync(cancellationToken);
        var source = LabSource.FromPath(Repository.Path("labs", "two-hosts"));
        var lab = (await provider.GetRequiredService<ILabCatalog>().AddAsync(source, cancellationToken)).Definition;
        var sessions = provider.GetRequiredService<ISessionService>();

        var library = new Samples("library (ISessionService.StartAsync)");
        var floor = new Samples("floor (podman kube play)");
        for (var round = 0; round <= rounds; round++)
        {
            var libraryFirst = round % 2 == 0;
            for (var turn = 0; turn < 2; turn++)
            {
                var elapsed = (turn == 0) == libraryFirst
                    ? await LibraryAsync(sessions, cancellationToken)
                    : await FloorAsync(lab, cancellationToken);
                if (round > 0)
                {
                    ((turn == 0) == libraryFirst ? library : floor).Add(elapsed);
                }
            }

            await output.WriteLineAsync($"round {round}{(round == 0 ? " (warm-up)" : "")} done");
        }

        Directory.Delete(folder, recursive: true);
        await ReportAsync(output, rounds, library, floor, target);
        return 0;
    }

    private static async Task<TimeSpan> LibraryAsync(ISessionService sessions, CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        var session = await sessions.StartAsync("two-hosts", new UserRef("bench"), cancellationToken: cancellationToken);
        var elapsed = watch.Elapsed;
        await sessions.StopAsync(session.Id, cancellationToken);
        if (session.State != SessionState.Running)
        {
            throw new InvalidOperationException($"The library's session did not run: {session.FailureReason}");
        }

        return elapsed;
    }

    private static async Task<TimeSpan> FloorAsync(LabDefinition lab, CancellationToken cancellationToken)
    {
        var sessionId = "bench" + Guid.NewGuid().ToString("N")[..7];
        var credentials = lab.Nodes.SelectMany(n => n.Credentials.Select(c => new ResolvedCredential(n.Name, c.Name, c.Username, "bench-password"))).ToList();
        var plan = LabCompiler.Compile(lab, new SessionContext(sessionId, "bench", credentials));
        var folder = Directory.CreateTempSubdirectory("labo-floor-").FullName;
        var watch = Stopwatch.StartNew();
        try
        {
            // The floor is given its subnets, so unlike the engine it need not read them back.
            var subnets = new Dictionary<string, (string Subnet, string Gateway)>();
            foreach (var (network, index) in plan.Networks.Select((n, i) => (n.Name, i)))
            {
                var prefix = $"10.252.{(Environment.ProcessId + index) % 250}";
                subnets[network] = ($"{prefix}.0/24", $"{prefix}.1");
                await Podman.RunAsync(cancellationToken, "network", "create", "--opt", "isolate=true", "--subnet", subnets[network].Subnet,
                    "--label", $"lab-orchestrator.io/session={sessionId}", PodmanNames.Network(sessionId, network));
            }

            foreach (var (_, play) in await FloorPlays.WriteAsync(plan, sessionId, subnets, folder, cancellationToken))
            {
                await Podman.RunAsync(cancellationToken, [.. play]);
            }

            return watch.Elapsed;
        }
        finally
        {
            foreach (var node in plan.Nodes)
            {
                await Podman.RunAsync(CancellationToken.None, "pod", "rm", "--force", "--time", "0", "--ignore", PodmanNames.Pod(sessionId, node.Name));
            }

            foreach (var network in plan.Networks)
            {
                await Podman.RunAsync(CancellationToken.None, "network", "rm", "--force", PodmanNames.Network(sessionId, network.Name));
            }

            Directory.Delete(folder, recursive: true);
        }
    }

    private static async Task ReportAsync(TextWriter output, int rounds, Samples library, Samples floor, string target)
    {
        await output.WriteLineAsync();
        await output.WriteLineAsync($"Cold start of two-hosts until both nodes run, {rounds} rounds, {Environment.ProcessorCount} cores:");
        await output.WriteLineAsync();
        await output.WriteLineAsync("| contender | median ms | min ms | max ms |");
        await output.WriteLineAsync("|---|---:|---:|---:|");
        foreach (var s in new[] { library, floor })
        {
            await output.WriteLineAsync($"| {s.Name} | {s.Median:0} | {s.Min:0} | {s.Max:0} |");
        }

        await output.WriteLineAsync();
        await output.WriteLineAsync($"Ratio library / floor (medians): {library.Median / floor.Median:0.00} (target: {target})");
    }
}
