namespace LabOrchestrator.Labs.Parsing;

/// <summary>
/// Reads a node's <c>capabilities</c>: Linux capabilities added to the container's default set. Only those that act
/// on the node's own network namespace are allowed; anything reaching the machine that runs the node (SYS_ADMIN,
/// SYS_MODULE, …) would break the isolation between sessions.
/// </summary>
internal static class CapabilityReader
{
    public static readonly IReadOnlyList<string> Allowed = ["NET_ADMIN", "NET_RAW"];

    private const string Prefix = "CAP_";

    public static IReadOnlyList<string> Read(YamlValue value, string path, NodeKind kind, YamlValue key, ValueReader values)
    {
        if (kind == NodeKind.Vm)
        {
            values.Diagnostics.Add(key, path, "a vm node cannot have 'capabilities'",
                "the learner is root in a virtual machine's own kernel already; remove 'capabilities', or use kind: container");
        }

        var capabilities = new List<string>();
        var sequence = values.Sequence(value, path, "a list of capabilities", "write a list, e.g. capabilities: [NET_ADMIN]");
        if (sequence is null)
        {
            return capabilities;
        }

        var seen = new UniqueNames("capability", "within a node", values.Diagnostics);
        for (var i = 0; i < sequence.Items.Count; i++)
        {
            var itemPath = FieldPath.Item(path, i);
            var item = sequence.Items[i];
            if (values.String(item, itemPath) is not { } capability)
            {
                continue;
            }

            if (!Allowed.Contains(capability))
            {
                values.Diagnostics.Add(item, itemPath, $"{ValueReader.Quote(capability)} is not a capability a node may have", Hint(capability));
                continue;
            }

            if (seen.Add(capability, item, itemPath))
            {
                capabilities.Add(capability);
            }
        }

        return capabilities;
    }

    private static string Hint(string capability)
    {
        var allowed = $"allowed: {string.Join(", ", Allowed)}; others reach beyond the node's own network namespace";
        var bare = capability.ToUpperInvariant();
        bare = bare.StartsWith(Prefix, StringComparison.Ordinal) ? bare[Prefix.Length..] : bare;
        return Allowed.Contains(bare) ? $"try '{bare}'" : allowed;
    }
}
