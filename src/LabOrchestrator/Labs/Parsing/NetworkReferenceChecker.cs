namespace LabOrchestrator.Labs.Parsing;

/// <summary>
/// Checks that nodes join only declared networks and that every declared network is joined: an unused network
/// is almost always a misspelt reference, and reporting both ends makes that plain.
/// </summary>
internal static class NetworkReferenceChecker
{
    public static void Check(IReadOnlyList<(NetworkDefinition Network, YamlValue At, string Path)> declared,
        IReadOnlyList<NetworkReference> references, DiagnosticBag diagnostics)
    {
        var names = declared.Select(d => d.Network.Name).ToList();
        foreach (var reference in references.Where(r => !names.Contains(r.Network)))
        {
            diagnostics.Add(reference.At, reference.Path, $"network {ValueReader.Quote(reference.Network)} is not declared", Hint(reference.Network, names));
        }

        var used = references.Select(r => r.Network).ToHashSet(StringComparer.Ordinal);
        foreach (var (network, at, path) in declared.Where(d => !used.Contains(d.Network.Name)))
        {
            diagnostics.Add(at, path, $"network {ValueReader.Quote(network.Name)} is not joined by any node",
                "add it to a node's 'networks' list, or remove it");
        }
    }

    private static string Hint(string network, IReadOnlyList<string> declared)
    {
        if (declared.Count == 0)
        {
            return $"declare it in the top-level 'networks' list: networks: [{{ name: {network} }}]";
        }

        var list = $"declared networks: {string.Join(", ", declared)}";
        return Suggestions.Closest(network, declared) is { } suggestion ? $"did you mean '{suggestion}'? {list}" : list;
    }
}
