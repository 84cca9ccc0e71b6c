using LabOrchestrator.Labs.Parsing;

namespace LabOrchestrator.Labs;

/// <summary>Reads and validates lab files, reporting every problem with its file, line and column.</summary>
public static class LabParser
{
    public static LabParseResult Parse(LabSource source)
    {
        ArgumentNullException.ThrowIfNull(source);
        var diagnostics = new DiagnosticBag(source.FileName);
        var lab = YamlDocumentReader.TryRead(source.Yaml, diagnostics, out var root)
            ? new LabReader(source, new ValueReader(diagnostics)).Read(root)
            : null;
        return diagnostics.HasErrors ? new LabParseResult(null, diagnostics.Sorted()) : new LabParseResult(lab, []);
    }
}
