namespace LabOrchestrator.Labs.Parsing;

/// <summary>
/// Collects every problem of one lab file, so that authors can fix them all in one pass. A file with thousands of
/// problems (200,000 bad keys) is cut off at <see cref="ParserLimits.MaxDiagnostics"/>, with a last line saying so.
/// </summary>
internal sealed class DiagnosticBag(string fileName)
{
    private readonly List<LabDiagnostic> _diagnostics = [];
    private bool _truncated;

    public IReadOnlyList<LabDiagnostic> Diagnostics => _diagnostics;

    public bool HasErrors => _diagnostics.Count > 0 || _truncated;

    public void Add(YamlValue at, string path, string message, string? hint = null) =>
        Add(at.Line, at.Column, path, message, hint);

    public void Add(int line, int column, string path, string message, string? hint = null)
    {
        if (_diagnostics.Count >= ParserLimits.MaxDiagnostics)
        {
            _truncated = true;
            return;
        }

        _diagnostics.Add(new LabDiagnostic(fileName, line, column, path, message, hint));
    }

    /// <summary>Diagnostics in file order: the walk reports cross-references after the fields they point at.</summary>
    public IReadOnlyList<LabDiagnostic> Sorted()
    {
        var sorted = _diagnostics.OrderBy(d => d.Line).ThenBy(d => d.Column).ToList();
        if (_truncated)
        {
            var last = sorted[^1];
            sorted.Add(new LabDiagnostic(fileName, last.Line, last.Column, "",
                $"more than {ParserLimits.MaxDiagnostics} problems; the rest are not listed", "fix these and validate again"));
        }

        return sorted;
    }
}
