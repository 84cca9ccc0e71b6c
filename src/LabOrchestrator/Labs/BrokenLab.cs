namespace LabOrchestrator.Labs;

/// <summary>
/// A lab in the store that no longer passes validation (stored before a limit existed, or above a ceiling lowered
/// since). It is not loaded: learners cannot see or start it; administrators see why and fix or delete it.
/// </summary>
public sealed record BrokenLab(string Name, string SourceFile, DateTimeOffset UpdatedAt, IReadOnlyList<LabDiagnostic> Diagnostics);
