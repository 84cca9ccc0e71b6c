namespace LabOrchestrator.Labs.Parsing;

/// <summary>
/// Reads a node's environment. Names starting with <c>LAB_</c> are refused because the orchestrator sets them
/// (session id, node name, credentials) and a lab overriding them would break checks and logins.
/// </summary>
internal static class EnvReader
{
    public const string ReservedPrefix = "LAB_";

    public static Dictionary<string, string> Read(YamlValue value, string path, ValueReader values)
    {
        var env = new Dictionary<string, string>(StringComparer.Ordinal);
        if (values.Mapping(value, path, "write each variable as 'NAME: value' on its own line") is not { } mapping)
        {
            return env;
        }

        if (mapping.Entries.Count > ParserLimits.MaxEnvPerNode)
        {
            values.Diagnostics.Add(mapping, path, $"a node may have at most {ParserLimits.MaxEnvPerNode} environment variables, this one has {mapping.Entries.Count}",
                "put bulk settings in a file of the image instead");
            return env;
        }

        foreach (var entry in mapping.Entries)
        {
            var entryPath = FieldPath.Child(path, entry.Name);
            if (!LabPatterns.EnvironmentName().IsMatch(entry.Name))
            {
                var suggestion = new string(entry.Name.Select(c => char.IsAsciiLetterOrDigit(c) ? c : '_').ToArray());
                values.Diagnostics.Add(entry.Key, entryPath, $"{ValueReader.Quote(entry.Name)} is not a valid environment variable name",
                    $"use letters, digits and '_', not starting with a digit, e.g. '{(char.IsAsciiDigit(suggestion.FirstOrDefault()) ? "_" : "")}{suggestion}'");
                continue;
            }

            if (entry.Name.StartsWith(ReservedPrefix, StringComparison.Ordinal))
            {
                values.Diagnostics.Add(entry.Key, entryPath, $"{ValueReader.Quote(entry.Name)} is reserved: names starting with {ReservedPrefix} are set by the orchestrator",
                    "choose a name without the LAB_ prefix");
                continue;
            }

            // A blank value is an empty variable, as it would be in a shell.
            var text = entry.Value is YamlScalarValue { IsNull: true } ? "" : values.String(entry.Value, entryPath);
            if (text is not null)
            {
                env[entry.Name] = text;
            }
        }

        return env;
    }
}
