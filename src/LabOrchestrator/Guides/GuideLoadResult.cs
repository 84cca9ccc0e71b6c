using LabOrchestrator.Labs;

namespace LabOrchestrator.Guides;

/// <summary>The outcome of reading a guide folder: the guide when it is valid, and every problem found.</summary>
public sealed record GuideLoadResult(Guide? Guide, IReadOnlyList<LabDiagnostic> Diagnostics)
{
    public bool IsValid => Guide is not null && Diagnostics.Count == 0;

    public Guide GetGuideOrThrow() => IsValid ? Guide! : throw new GuideValidationException(Diagnostics);
}
