using LabOrchestrator.Engines;

namespace LabOrchestrator.Kubernetes.Engine;

/// <summary>A VM's serial console: raw bytes both ways; a serial line has no window size to set.</summary>
internal sealed class PlainTerminal(Stream console) : ITerminalStream
{
    public Stream Input => console;

    public Stream Output => console;

    public Task ResizeAsync(ushort columns, ushort rows, CancellationToken cancellationToken) => Task.CompletedTask;

    public ValueTask DisposeAsync() => console.DisposeAsync();
}
