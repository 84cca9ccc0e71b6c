namespace LabOrchestrator.Engines;

/// <summary>
/// An interactive terminal in a node: write keystrokes to <see cref="Input"/>, read what the
/// terminal prints from <see cref="Output"/> (end of stream when the shell exits).
/// </summary>
public interface ITerminalStream : IAsyncDisposable
{
    Stream Input { get; }
    Stream Output { get; }
    Task ResizeAsync(ushort columns, ushort rows, CancellationToken cancellationToken);
}
