namespace LabOrchestrator.Labs;

/// <summary>Thrown when a lab file has problems; carries every problem found, not just the first.</summary>
public sealed class LabValidationException(IReadOnlyList<LabDiagnostic> diagnostics)
    : Exception(Format(diagnostics))
{
    public IReadOnlyList<LabDiagnostic> Diagnostics { get; } = diagnostics;

    private static string Format(IReadOnlyList<LabDiagnostic> diagnostics) =>
        $"The lab has {diagnostics.Count} problem(s):{Environment.NewLine}" +
        string.Join(Environment.NewLine, diagnostics.Select(d => d.ToString()));
}
