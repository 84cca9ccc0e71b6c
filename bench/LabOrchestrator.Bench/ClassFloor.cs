using System.Diagnostics;
using LabOrchestrator.Compilation;
using LabOrchestrator.Labs;
using LabOrchestrator.Podman;

namespace LabOrchestrator.Bench;

/// <summary>
/// The floor for one learner of <see cref="ClassBenchmark"/>: the same two-hosts pods the Podman engine plays (compiled
/// and adapted by the same code, written to files beforehand), started with the podman command line — `podman network
/// create`, then one `podman kube play` per node, both nodes at once — and removed with `podman pod rm --force --time 0`
/// per node at once, then `podman network rm`. It does not wait for readiness in the nodes: it ends when Podman has
/// started the containers.
/// </summary>
internal sealed class ClassFloor(LabDefinition lab, int index) : IDisposable
{
    private readonly string sessionId = "classfloor" + Guid.NewGuid().ToString("N")[..8];
    private readonly string folder = Directory.CreateTempSubdirectory("labo-class-floor-").FullName;
    private CompiledPlan plan = null!;
    private readonly List<(string Node, List<string> Play)> plays = [];
    private readonly List<List<string>> networks = [];

    public string SessionId => sessionId;
    public TimeSpan Running { get; private set; }
    public TimeSpan Stopped { get; private set; }

    public async Task PrepareAsync(CancellationToken cancellationToken)
    {
        var credentials = lab.Nodes.SelectMany(n => n.Credentials.Select(c => new ResolvedCredential(n.Name, c.Name, c.Username, "bench-password"))).ToList();
        plan = LabCompiler.Compile(lab, new SessionContext(sessionId, "bench", credentials));
        // Subnets of its own per learner, so that none waits for another's address (the engine lets Podman choose).
        var subnets = new Dictionary<string, (string Subnet, string Gateway)>();
        foreach (var (network, offset) in plan.Networks.Select((n, i) => (n.Name, i)))
        {
            var prefix = $"10.251.{((index * plan.Networks.Count) + offset) % 250}";
            subnets[network] = ($"{prefix}.0/24", $"{prefix}.1");
            networks.Add(["network", "create", "--opt", "isolate=true", "--subnet", subnets[network].Subnet, "--label", $"{Engines.LabLabels.Session}={sessionId}", PodmanNames.Network(sessionId, network)]);
        }

        plays.AddRange(await FloorPlays.WriteAsync(plan, sessionId, subnets, folder, cancellationToken));
    }

    public async Task StartAsync(Stopwatch clock, CancellationToken cancellationToken)
    {
        foreach (var network in networks)
        {
            await Podman.RunAsync(cancellationToken, [.. network]);
        }

        await Task.WhenAll(plays.Select(p => Podman.RunAsync(cancellationToken, [.. p.Play])));
        Running = clock.Elapsed;
    }

    public async Task StopAsync(Stopwatch clock, CancellationToken cancellationToken)
    {
        await RemoveAsync(cancellationToken);
        Stopped = clock.Elapsed;
    }

    /// <summary>Removes whatever exists of this learner's pods and network (also after a failure).</summary>
    public async Task RemoveAsync(CancellationToken cancellationToken)
    {
        await Task.WhenAll(plan.Nodes.Select(n => Podman.RunAsync(cancellationToken, "pod", "rm", "--force", "--time", "0", "--ignore", PodmanNames.Pod(sessionId, n.Name))));
        foreach (var network in plan.Networks)
        {
            await Podman.RunAsync(cancellationToken, "network", "rm", "--force", PodmanNames.Network(sessionId, network.Name));
        }
    }

    public void Dispose() => Directory.Delete(folder, recursive: true);
}
