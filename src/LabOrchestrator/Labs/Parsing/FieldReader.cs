namespace LabOrchestrator.Labs.Parsing;

/// <summary>
/// Reads the fields of one mapping. Creating it reports every unknown field, with a "did you mean" when a known
/// field is close, so typos never pass silently as ignored keys.
/// </summary>
internal sealed class FieldReader
{
    private readonly YamlMappingValue _mapping;
    private readonly ValueReader _values;

    public FieldReader(YamlMappingValue mapping, string path, IReadOnlyList<string> known, ValueReader values)
    {
        _mapping = mapping;
        _values = values;
        Path = path;
        foreach (var entry in mapping.Entries.Where(e => !known.Contains(e.Name)))
        {
            var suggestion = Suggestions.Closest(entry.Name, known);
            var hint = suggestion is null
                ? $"allowed fields: {string.Join(", ", known)}"
                : $"did you mean '{suggestion}'?";
            values.Diagnostics.Add(entry.Key, PathOf(entry.Name), $"unknown field '{entry.Name}'", hint);
        }
    }

    public string Path { get; }

    public string PathOf(string field) => FieldPath.Child(Path, field);

    public YamlEntry? Entry(string field) => _mapping.Entries.FirstOrDefault(e => e.Name == field);

    public YamlValue? this[string field] => Entry(field)?.Value;

    /// <summary>The value of a field that must be present and non-empty; reports its absence at the mapping.</summary>
    public YamlValue? Required(string field, string? hint = null)
    {
        var entry = Entry(field);
        if (entry is null)
        {
            _values.Diagnostics.Add(_mapping, Path, $"missing required field '{field}'", hint);
            return null;
        }

        if (entry.Value is YamlScalarValue { IsNull: true } or YamlScalarValue { Value: "" })
        {
            // An empty value has no text to point at, so the key is where the author looks.
            _values.Diagnostics.Add(entry.Key,
                PathOf(field), "must not be empty", hint);
            return null;
        }

        return entry.Value;
    }

    /// <summary>A required field that must be a string.</summary>
    public string? RequiredString(string field, string? hint = null) =>
        Required(field, hint) is { } value ? _values.String(value, PathOf(field)) : null;

    public string? OptionalString(string field) =>
        this[field] is { } value ? _values.String(value, PathOf(field)) : null;
}
