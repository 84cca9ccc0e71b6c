using YamlDotNet.Core;

namespace LabOrchestrator.Labs.Parsing;

internal sealed record YamlScalarValue(int Line, int Column, string Value, ScalarStyle Style) : YamlValue(Line, Column)
{
    /// <summary>An empty or <c>~</c>/<c>null</c> plain scalar: YAML's null, which optional fields treat as absent.</summary>
    public bool IsNull =>
        Style == ScalarStyle.Plain && Value is "" or "~" or "null" or "Null" or "NULL";
}
