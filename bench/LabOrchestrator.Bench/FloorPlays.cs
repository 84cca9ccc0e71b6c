using k8s;
using LabOrchestrator.Compilation;
using LabOrchestrator.Podman;

namespace LabOrchestrator.Bench;

/// <summary>
/// The floors' `podman kube play` calls for a plan: each node's pod as the engine would play it (written to a YAML file
/// in <c>folder</c>) with its static address on each network, given the subnets the floor created.
/// </summary>
internal static class FloorPlays
{
    public static async Task<List<(string Node, List<string> Play)>> WriteAsync(
        CompiledPlan plan, string sessionId, IReadOnlyDictionary<string, (string Subnet, string Gateway)> subnets, string folder, CancellationToken cancellationToken)
    {
        var addresses = plan.Nodes
            .SelectMany((node, index) => node.Networks.Select(n => new NodeAddress(node.Name, n, StaticAddressing.AddressFor(subnets[n].Subnet, subnets[n].Gateway, index))))
            .ToList();
        var plays = new List<(string Node, List<string> Play)>();
        foreach (var node in plan.Nodes)
        {
            var file = Path.Combine(folder, $"{node.Name}.yaml");
            await File.WriteAllTextAsync(file, KubernetesYaml.Serialize(PodAdapter.Adapt(plan, node, addresses, new PodmanEngineOptions(), new PodmanService("", null, null))), cancellationToken);
            List<string> play = ["kube", "play"];
            foreach (var address in addresses.Where(a => a.Node == node.Name))
            {
                play.AddRange(["--network", $"{PodmanNames.Network(sessionId, address.Network)}:ip={address.Ip}"]);
            }

            plays.Add((node.Name, [.. play, file]));
        }

        return plays;
    }
}
