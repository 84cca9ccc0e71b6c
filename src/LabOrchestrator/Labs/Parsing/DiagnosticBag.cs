namespace LabOrchestrator.Labs.Parsing;

/// <summary>Collects every problem of one lab file, so that authors can fix them all in one pass.</summary>
internal sealed class DiagnosticBag(string fileName)
{
    private readonly List<LabDiagnostic> _diagnostics = [];

    public IReadOnlyList<LabDiagnostic> Diagnostics => _diagnostics;

    public bool HasErrors => _diagnostics.Count > 0;

    public void Add(YamlValue at, string path, string message, string? hint = null) =>
        Add(at.Line, at.Column, path, message, hint);

    public void Add(int line, int column, string path, string message, string? hint = null) =>
        _diagnostics.Add(new LabDiagnostic(fileName, line, column, path, message, hint));

    /// <summary>Diagnostics in file order: the walk reports cross-references after the fields they point at.</summary>
    public IReadOnlyList<LabDiagnostic> Sorted() =>
        _diagnostics.OrderBy(d => d.Line).ThenBy(d => d.Column).ToList();
}
