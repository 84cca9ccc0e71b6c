namespace LabOrchestrator.Labs;

/// <summary>The outcome of reading a lab file: the lab when it is valid, and every problem found.</summary>
public sealed record LabParseResult(LabDefinition? Lab, IReadOnlyList<LabDiagnostic> Diagnostics)
{
    public bool IsValid => Lab is not null && Diagnostics.Count == 0;

    /// <summary>The lab, or a <see cref="LabValidationException"/> listing every problem.</summary>
    public LabDefinition GetLabOrThrow() =>
        IsValid ? Lab! : throw new LabValidationException(Diagnostics);
}
