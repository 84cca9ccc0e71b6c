using LabOrchestrator.Engines;

namespace LabOrchestrator.Labs;

/// <summary>Asks the engine about every node image of a lab, so that import and publish warn before a learner's start fails.</summary>
public static class LabImageCheck
{
    /// <summary>
    /// One warning per node whose image is not present on <paramref name="engine"/>, and one for the lab when the engine
    /// cannot tell (Kubernetes). An engine that cannot be reached is a warning too: storing a lab never depends on it.
    /// </summary>
    public static async Task<IReadOnlyList<LabImageWarning>> CheckAsync(LabDefinition lab, ILabEngine engine, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lab);
        ArgumentNullException.ThrowIfNull(engine);
        var warnings = new List<LabImageWarning>();
        var known = new Dictionary<string, bool?>(StringComparer.Ordinal);
        foreach (var node in lab.Nodes)
        {
            if (!known.TryGetValue(node.Image, out var present))
            {
                try
                {
                    present = await engine.ImageExistsAsync(node.Image, cancellationToken).ConfigureAwait(false);
                }
                catch (EngineException)
                {
                    present = null;
                }

                known[node.Image] = present;
            }

            if (present == false)
            {
                warnings.Add(new LabImageWarning(node.Name, node.Image, false,
                    $"Node '{node.Name}': image {node.Image} is not on the {engine.Name} engine; sessions of this lab will fail to start until it is built or pulled."));
            }
            else if (present is null)
            {
                warnings.Add(new LabImageWarning(node.Name, node.Image, null,
                    $"Node '{node.Name}': the {engine.Name} engine cannot tell whether image {node.Image} is present; start the lab once to check."));
            }
        }

        return warnings;
    }
}
