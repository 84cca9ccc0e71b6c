namespace LabOrchestrator.Labs.Parsing;

/// <summary>Reads a node's <c>access</c> section: which consoles and web ports the learner may open, and as whom.</summary>
internal static partial class AccessReader
{
    [System.Text.RegularExpressions.GeneratedRegex("^[a-z_][a-z0-9_-]{0,31}$")]
    private static partial System.Text.RegularExpressions.Regex UserNamePattern();

    public static AccessDefinition Read(YamlValue? value, string path, NodeKind kind, ValueReader values)
    {
        var access = new AccessDefinition();
        if (value is null || values.Mapping(value, path) is not { } mapping)
        {
            return access;
        }

        var fields = values.Fields(mapping, path, LabFields.Access);
        if (fields["terminal"] is { } terminal && values.Bool(terminal, fields.PathOf("terminal")) is { } hasTerminal)
        {
            access = access with { Terminal = hasTerminal };
        }

        if (fields["user"] is { } user && values.String(user, fields.PathOf("user")) is { } userName)
        {
            if (kind == NodeKind.Vm)
            {
                values.Diagnostics.Add(user, fields.PathOf("user"), "a vm node's terminal is its serial console, where the learner logs in",
                    "remove 'user'; the VM image decides who may log in");
            }
            else if (UserNamePattern().IsMatch(userName))
            {
                access = access with { User = userName };
            }
            else
            {
                values.Diagnostics.Add(user, fields.PathOf("user"), $"{ValueReader.Quote(userName)} is not a user name",
                    "give a user of the image, e.g. 'learner' (lower-case letters, digits, '_' and '-', at most 32)");
            }
        }

        if (fields["desktop"] is { } desktop && values.Bool(desktop, fields.PathOf("desktop")) is { } hasDesktop)
        {
            access = access with { Desktop = hasDesktop };
        }

        if (fields["http"] is { } http)
        {
            access = access with { Http = ReadHttp(http, fields.PathOf("http"), values) };
        }

        return access;
    }

    private static List<HttpPortDefinition> ReadHttp(YamlValue value, string path, ValueReader values)
    {
        var ports = new List<HttpPortDefinition>();
        if (values.Sequence(value, path, hint: "list each port as '- name: web' with 'port: 80' below it") is not { } sequence)
        {
            return ports;
        }

        var names = new UniqueNames("port name", "within a node", values.Diagnostics);
        var numbers = new UniqueNames("port", "within a node", values.Diagnostics);
        for (var i = 0; i < sequence.Items.Count; i++)
        {
            var itemPath = FieldPath.Item(path, i);
            if (values.Mapping(sequence.Items[i], itemPath, "write each port as '- name: web' with 'port: 80' below it") is not { } mapping)
            {
                continue;
            }

            var fields = values.Fields(mapping, itemPath, LabFields.HttpPort);
            var name = fields.RequiredString("name");
            if (name is not null && NameRules.Check(name, fields["name"]!, fields.PathOf("name"), "port", values.Diagnostics))
            {
                names.Add(name, fields["name"]!, fields.PathOf("name"));
            }

            var portValue = fields.Required("port", "give the port the node's web server listens on, 1 to 65535");
            var port = portValue is null ? null : values.Port(portValue, fields.PathOf("port"));
            if (port is not null)
            {
                numbers.Add(port.Value.ToString(System.Globalization.CultureInfo.InvariantCulture), portValue!, fields.PathOf("port"));
            }

            if (name is not null && port is not null)
            {
                ports.Add(new HttpPortDefinition(name, port.Value));
            }
        }

        return ports;
    }
}
