using YamlDotNet.Core;

namespace LabOrchestrator.Labs.Parsing;

/// <summary>
/// Turns YAML values into typed values, reporting a wrong type at the value itself. Every method returns null on a
/// problem so that the caller carries on and finds the next one.
/// </summary>
internal sealed class ValueReader(DiagnosticBag diagnostics)
{
    public DiagnosticBag Diagnostics { get; } = diagnostics;

    public FieldReader Fields(YamlMappingValue mapping, string path, IReadOnlyList<string> known) =>
        new(mapping, path, known, this);

    /// <summary>A mapping, or null when absent or empty (an optional section left blank means "use the defaults").</summary>
    public YamlMappingValue? Mapping(YamlValue value, string path, string? hint = null)
    {
        if (value is YamlMappingValue mapping)
        {
            return mapping;
        }

        if (value is not YamlScalarValue { IsNull: true })
        {
            Diagnostics.Add(value, path, $"expected a mapping, found {Describe(value)}", hint);
        }

        return null;
    }

    /// <summary>A list, or null when absent or empty.</summary>
    public YamlSequenceValue? Sequence(YamlValue value, string path, string expected = "a list", string? hint = null)
    {
        if (value is YamlSequenceValue sequence)
        {
            return sequence;
        }

        if (value is not YamlScalarValue { IsNull: true })
        {
            Diagnostics.Add(value, path, $"expected {expected}, found {Describe(value)}", hint);
        }

        return null;
    }

    /// <summary>Any scalar as text (YAML's <c>80</c> and <c>true</c> are fine as strings), or null when empty.</summary>
    public string? String(YamlValue value, string path)
    {
        switch (value)
        {
            case YamlScalarValue { IsNull: true }:
                return null;
            case YamlScalarValue scalar:
                return scalar.Value;
            default:
                Diagnostics.Add(value, path, $"expected a string, found {Describe(value)}");
                return null;
        }
    }

    public IReadOnlyList<string> StringList(YamlValue value, string path, string example)
    {
        var sequence = Sequence(value, path, "a list of strings", $"write a list with one item per entry, e.g. {example}");
        if (sequence is null)
        {
            return [];
        }

        if (sequence.Items.Count > ParserLimits.MaxListItems)
        {
            Diagnostics.Add(sequence, path, $"a list may have at most {ParserLimits.MaxListItems} items, this one has {sequence.Items.Count}");
            return [];
        }

        var items = new List<string>();
        for (var i = 0; i < sequence.Items.Count; i++)
        {
            if (String(sequence.Items[i], FieldPath.Item(path, i)) is { } item)
            {
                items.Add(item);
            }
        }

        return items;
    }

    public bool? Bool(YamlValue value, string path)
    {
        if (value is YamlScalarValue { Style: ScalarStyle.Plain } scalar)
        {
            switch (scalar.Value)
            {
                case "true" or "True" or "TRUE":
                    return true;
                case "false" or "False" or "FALSE":
                    return false;
            }
        }

        var hint = value is YamlScalarValue { Value: "true" or "false" } ? "write it without quotes" : "use true or false";
        Diagnostics.Add(value, path, $"expected true or false, found {Describe(value)}", hint);
        return null;
    }

    public int? Port(YamlValue value, string path)
    {
        if (value is YamlScalarValue { Style: ScalarStyle.Plain } scalar
            && scalar.Value.All(char.IsAsciiDigit)
            && int.TryParse(scalar.Value, out var port)
            && port is >= 1 and <= 65535)
        {
            return port;
        }

        var hint = value is YamlScalarValue { Style: not ScalarStyle.Plain } quoted && int.TryParse(quoted.Value, out _)
            ? "write the number without quotes"
            : null;
        Diagnostics.Add(value, path, $"expected a port number from 1 to 65535, found {Describe(value)}", hint);
        return null;
    }

    /// <summary>How a value reads in a message: its text for scalars, its shape for collections.</summary>
    public static string Describe(YamlValue value) => value switch
    {
        YamlMappingValue => "a mapping",
        YamlSequenceValue => "a list",
        YamlScalarValue { IsNull: true } => "an empty value",
        YamlScalarValue scalar => Quote(scalar.Value),
        _ => "a value",
    };

    public static string Quote(string text)
    {
        const int max = 100;
        var oneLine = text.ReplaceLineEndings(" ").Trim();
        return oneLine.Length <= max ? $"'{oneLine}'" : $"'{oneLine[..max]}…'";
    }
}
