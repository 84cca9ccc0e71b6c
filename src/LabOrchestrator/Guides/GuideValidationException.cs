using LabOrchestrator.Labs;

namespace LabOrchestrator.Guides;

/// <summary>Thrown when a guide has problems; carries every problem found, not just the first.</summary>
public sealed class GuideValidationException(IReadOnlyList<LabDiagnostic> diagnostics)
    : Exception(Format(diagnostics))
{
    public IReadOnlyList<LabDiagnostic> Diagnostics { get; } = diagnostics;

    private static string Format(IReadOnlyList<LabDiagnostic> diagnostics) =>
        $"The guide has {diagnostics.Count} problem(s):{Environment.NewLine}" +
        string.Join(Environment.NewLine, diagnostics.Select(d => d.ToString()));
}
