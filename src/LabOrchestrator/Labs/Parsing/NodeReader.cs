namespace LabOrchestrator.Labs.Parsing;

/// <summary>Reads one entry of <c>nodes</c>: a container or virtual machine of the lab.</summary>
internal static class NodeReader
{
    private const string ImageHint = "name the image the node runs, e.g. localhost/lab-base:latest";

    /// <summary>The node, or null when a required part is missing; problems are reported either way.</summary>
    public static NodeDefinition? Read(YamlMappingValue mapping, string path, UniqueNames nodeNames, List<NetworkReference> references, ValueReader values, LabPolicyOptions policy)
    {
        var diagnostics = values.Diagnostics;
        var fields = values.Fields(mapping, path, LabFields.Node);

        var name = fields.RequiredString("name");
        if (name is not null && NameRules.Check(name, fields["name"]!, fields.PathOf("name"), "node", diagnostics))
        {
            nodeNames.Add(name, fields["name"]!, fields.PathOf("name"));
        }

        var image = fields.RequiredString("image", ImageHint);
        if (image is not null)
        {
            ImageReferenceRules.Check(image, fields["image"]!, fields.PathOf("image"), diagnostics, policy.Registries);
        }

        var kind = ReadKind(fields, values);
        var command = ReadArguments(fields, "command", "command: [\"/bin/sh\", \"-c\"]", kind, values);
        var args = ReadArguments(fields, "args", "args: [\"--port\", \"8080\"]", kind, values);
        var node = new NodeDefinition
        {
            Name = name ?? "",
            Image = image ?? "",
            Kind = kind,
            Access = AccessReader.Read(fields["access"], fields.PathOf("access"), kind, values),
            Command = command,
            Args = args,
            Env = fields["env"] is { } env ? EnvReader.Read(env, fields.PathOf("env"), values) : new Dictionary<string, string>(),
            Resources = ReadResources(fields, values, policy),
            Capabilities = fields.Entry("capabilities") is { } capabilities
                ? CapabilityReader.Read(capabilities.Value, fields.PathOf("capabilities"), kind, capabilities.Key, values)
                : [],
            AllowUserNamespaces = ReadAllowUserNamespaces(fields, kind, values),
            Credentials = fields["credentials"] is { } credentials ? CredentialReader.Read(credentials, fields.PathOf("credentials"), values) : [],
            Networks = ReadNetworks(fields, references, values),
            Storage = fields.Entry("storage") is { } storage ? StorageReader.Read(storage, fields.PathOf("storage"), kind, values) : [],
        };
        return name is null || image is null ? null : node;
    }

    private static bool ReadAllowUserNamespaces(FieldReader fields, NodeKind kind, ValueReader values)
    {
        if (fields.Entry("allowUserNamespaces") is not { } entry)
        {
            return false;
        }

        if (kind == NodeKind.Vm)
        {
            values.Diagnostics.Add(entry.Key, fields.PathOf("allowUserNamespaces"), "a vm node cannot have 'allowUserNamespaces'",
                "a virtual machine has its own kernel and decides this itself; remove 'allowUserNamespaces', or use kind: container");
        }

        return values.Bool(entry.Value, fields.PathOf("allowUserNamespaces")) ?? false;
    }

    private static NodeKind ReadKind(FieldReader fields, ValueReader values)
    {
        if (fields["kind"] is not { } value || values.String(value, fields.PathOf("kind")) is not { } kind)
        {
            return NodeKind.Container;
        }

        switch (kind)
        {
            case "container":
                return NodeKind.Container;
            case "vm":
                return NodeKind.Vm;
            default:
                values.Diagnostics.Add(value, fields.PathOf("kind"), $"{ValueReader.Quote(kind)} is not a valid kind", "use 'container' or 'vm'");
                return NodeKind.Container;
        }
    }

    /// <summary>Command and args replace a container's entrypoint; a VM boots its own operating system and has none.</summary>
    private static IReadOnlyList<string> ReadArguments(FieldReader fields, string field, string example, NodeKind kind, ValueReader values)
    {
        if (fields.Entry(field) is not { } entry)
        {
            return [];
        }

        if (kind == NodeKind.Vm)
        {
            values.Diagnostics.Add(entry.Key, fields.PathOf(field), $"a vm node cannot have '{field}'",
                $"a virtual machine boots its own operating system; remove '{field}', or use kind: container");
        }

        return values.StringList(entry.Value, fields.PathOf(field), example);
    }

    private static ResourcesDefinition ReadResources(FieldReader fields, ValueReader values, LabPolicyOptions policy)
    {
        var path = fields.PathOf("resources");
        if (fields["resources"] is not { } value || values.Mapping(value, path) is not { } mapping)
        {
            return new ResourcesDefinition();
        }

        var resources = values.Fields(mapping, path, LabFields.Resources);
        return new ResourcesDefinition
        {
            Cpu = resources["cpu"] is { } cpu
                ? QuantityRules.Read(cpu, resources.PathOf("cpu"), "1, 0.5 or 500m", values, policy.MaxNodeCpu, "Labs:MaxNodeCpu")
                : null,
            Memory = resources["memory"] is { } memory
                ? QuantityRules.Read(memory, resources.PathOf("memory"), "128Mi, 1Gi or 512M", values, policy.MaxNodeMemory, "Labs:MaxNodeMemory")
                : null,
        };
    }

    private static List<string> ReadNetworks(FieldReader fields, List<NetworkReference> references, ValueReader values)
    {
        var networks = new List<string>();
        var path = fields.PathOf("networks");
        if (fields["networks"] is not { } value || values.Sequence(value, path, "a list of network names", "write a list of network names, e.g. networks: [lan]") is not { } sequence)
        {
            return networks;
        }

        var seen = new UniqueNames("network", "in a node's 'networks' list", values.Diagnostics);
        for (var i = 0; i < sequence.Items.Count; i++)
        {
            var itemPath = FieldPath.Item(path, i);
            if (values.String(sequence.Items[i], itemPath) is { } network && seen.Add(network, sequence.Items[i], itemPath))
            {
                networks.Add(network);
                references.Add(new NetworkReference(network, sequence.Items[i], itemPath));
            }
        }

        return networks;
    }
}
