namespace LabOrchestrator.Engines;

/// <summary>How to open a terminal: its size, and the command (a login shell when empty).</summary>
public sealed record TerminalOptions
{
    public ushort Columns { get; init; } = 80;
    public ushort Rows { get; init; } = 24;
    public IReadOnlyList<string> Command { get; init; } = [];
    public string? User { get; init; }
}
