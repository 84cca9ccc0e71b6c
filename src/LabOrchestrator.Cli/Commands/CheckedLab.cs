using LabOrchestrator.Labs;

namespace LabOrchestrator.Cli.Commands;

/// <summary>One lab path after parsing: the lab when valid, otherwise its diagnostics or why it could not be read.</summary>
internal sealed record CheckedLab(string Path, LabSource? Source, LabDefinition? Lab, IReadOnlyList<LabDiagnostic> Diagnostics, string? ReadError)
{
    public bool IsValid => Lab is not null;
}
