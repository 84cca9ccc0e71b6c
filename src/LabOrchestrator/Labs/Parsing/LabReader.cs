namespace LabOrchestrator.Labs.Parsing;

/// <summary>
/// Walks the YAML tree of a lab file into a <see cref="LabDefinition"/>. It never stops at a problem: each part is
/// read as far as it can be, so one run reports everything the author has to fix.
/// </summary>
internal sealed class LabReader(LabSource source, ValueReader values, LabPolicyOptions policy)
{
    private readonly DiagnosticBag _diagnostics = values.Diagnostics;

    public LabDefinition? Read(YamlValue? root)
    {
        if (root is null or YamlScalarValue { IsNull: true })
        {
            _diagnostics.Add(1, 1, "", "the lab file is empty", "a lab needs at least 'name' and 'nodes'; see docs/lab-format.md");
            return null;
        }

        if (root is not YamlMappingValue mapping)
        {
            _diagnostics.Add(root, "", $"expected a mapping of lab fields such as 'name' and 'nodes', found {ValueReader.Describe(root)}");
            return null;
        }

        var fields = values.Fields(mapping, "", LabFields.Lab);
        var name = fields.RequiredString("name", "give the lab a name such as 'two-hosts'");
        if (name is not null)
        {
            NameRules.Check(name, fields["name"]!, "name", "lab", _diagnostics);
        }

        var networks = ReadNetworks(fields);
        var references = new List<NetworkReference>();
        var nodes = ReadNodes(fields, references);
        NetworkReferenceChecker.Check(networks, references, _diagnostics);

        var lab = new LabDefinition
        {
            Name = name ?? "",
            Title = BoundedString(fields, "title", ParserLimits.MaxTitleLength),
            Description = BoundedString(fields, "description", ParserLimits.MaxDescriptionLength),
            Tags = fields["tags"] is { } tags ? values.StringList(tags, "tags", "tags: [linux, beginner]") : [],
            Networks = networks.Select(n => n.Network).ToList(),
            Nodes = nodes,
            Guide = fields["guide"] is { } guide ? GuideRules.Read(guide, "guide", source.BaseDirectory, values) : null,
            Limits = ReadLimits(fields),
            Egress = ReadEgress(fields),
            Pool = fields["pool"] is { } pool ? PoolReader.Read(pool, values) : null,
        };
        if (fields.Entry("pool") is { } entry)
        {
            PoolReader.CheckEligible(lab, entry.Key, _diagnostics);
        }

        return lab;
    }

    private EgressPolicy ReadEgress(FieldReader fields)
    {
        if (fields["egress"] is not { } value || values.String(value, "egress") is not { } egress)
        {
            return EgressPolicy.None;
        }

        switch (egress)
        {
            case "none":
                return EgressPolicy.None;
            case "internet":
                return EgressPolicy.Internet;
            default:
                _diagnostics.Add(value, "egress", $"{ValueReader.Quote(egress)} is not a valid egress",
                    "use 'none' (nodes reach only each other, the default) or 'internet' (public addresses, never private ranges or the host)");
                return EgressPolicy.None;
        }
    }

    private List<(NetworkDefinition Network, YamlValue At, string Path)> ReadNetworks(FieldReader fields)
    {
        var networks = new List<(NetworkDefinition, YamlValue, string)>();
        if (fields["networks"] is not { } value || values.Sequence(value, "networks", hint: "write each network as '- name: lan'") is not { } sequence)
        {
            return networks;
        }

        if (sequence.Items.Count > ParserLimits.MaxNetworks)
        {
            _diagnostics.Add(sequence, "networks", $"a lab may have at most {ParserLimits.MaxNetworks} networks, this one has {sequence.Items.Count}",
                "join nodes that belong together on one network");
            return networks;
        }

        var names = new UniqueNames("network name", "within the lab", _diagnostics);
        for (var i = 0; i < sequence.Items.Count; i++)
        {
            var path = FieldPath.Item("networks", i);
            var item = sequence.Items[i];
            var hint = item is YamlScalarValue scalar ? $"write it as '- name: {scalar.Value}'" : "write each network as '- name: lan'";
            if (values.Mapping(item, path, hint) is not { } mapping)
            {
                continue;
            }

            var network = values.Fields(mapping, path, LabFields.Network);
            if (network.RequiredString("name") is { } name
                && NameRules.Check(name, network["name"]!, network.PathOf("name"), "network", _diagnostics)
                && names.Add(name, network["name"]!, network.PathOf("name")))
            {
                networks.Add((new NetworkDefinition(name), network["name"]!, network.PathOf("name")));
            }
        }

        return networks;
    }

    private List<NodeDefinition> ReadNodes(FieldReader fields, List<NetworkReference> references)
    {
        var nodes = new List<NodeDefinition>();
        const string hint = "list the machines of the lab, each as '- name: ...' with 'image: ...' below it";
        if (fields.Required("nodes", hint) is not { } value || values.Sequence(value, "nodes", hint: hint) is not { } sequence)
        {
            return nodes;
        }

        if (sequence.Items.Count == 0)
        {
            _diagnostics.Add(sequence, "nodes", "a lab needs at least one node", hint);
            return nodes;
        }

        if (sequence.Items.Count > policy.MaxNodesPerLab)
        {
            _diagnostics.Add(sequence, "nodes", $"the lab has {sequence.Items.Count} nodes, more than the ceiling of {policy.MaxNodesPerLab} (Labs:MaxNodesPerLab)",
                "use fewer nodes, or ask the administrator to raise Labs:MaxNodesPerLab");
            return nodes;
        }

        var names = new UniqueNames("node name", "within the lab", _diagnostics);
        for (var i = 0; i < sequence.Items.Count; i++)
        {
            var path = FieldPath.Item("nodes", i);
            if (values.Mapping(sequence.Items[i], path, "write each node as '- name: ...' with 'image: ...' below it") is { } mapping
                && NodeReader.Read(mapping, path, names, references, values, policy) is { } node)
            {
                nodes.Add(node);
            }
        }

        return nodes;
    }

    private LimitsDefinition ReadLimits(FieldReader fields)
    {
        if (fields["limits"] is not { } value || values.Mapping(value, "limits") is not { } mapping)
        {
            return new LimitsDefinition();
        }

        var limits = values.Fields(mapping, "limits", LabFields.Limits);
        return LimitsReader.Read(limits, values);
    }

    private string? BoundedString(FieldReader fields, string field, int max)
    {
        var text = fields.OptionalString(field);
        if (text is not null && text.Length > max)
        {
            _diagnostics.Add(fields[field]!, field, $"is {text.Length} characters long, more than the limit of {max}",
                field == "description" ? "keep the description short; put the details in the guide" : "shorten it");
            return null;
        }

        return text;
    }
}
