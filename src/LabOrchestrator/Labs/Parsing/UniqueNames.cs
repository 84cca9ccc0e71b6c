namespace LabOrchestrator.Labs.Parsing;

/// <summary>Reports the second use of a name, pointing back at the first so the author can pick which to change.</summary>
internal sealed class UniqueNames(string what, string scope, DiagnosticBag diagnostics)
{
    private readonly Dictionary<string, int> _firstLines = new(StringComparer.Ordinal);

    public IReadOnlyCollection<string> Names => _firstLines.Keys;

    /// <summary>Records a name; returns false (and reports it) when it was seen before.</summary>
    public bool Add(string name, YamlValue at, string path)
    {
        if (_firstLines.TryGetValue(name, out var line))
        {
            diagnostics.Add(at, path, $"duplicate {what} {ValueReader.Quote(name)} (first on line {line})", $"each {what} must be unique {scope}");
            return false;
        }

        _firstLines.Add(name, at.Line);
        return true;
    }
}
