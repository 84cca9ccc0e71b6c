using LabOrchestrator.Engines;

namespace LabOrchestrator.Podman;

/// <summary>A shell with a terminal: both directions travel on the one hijacked connection.</summary>
internal sealed class PodmanTerminalStream(HijackedConnection connection, PodmanApiClient api, string execId) : ITerminalStream
{
    public Stream Input => connection;

    public Stream Output => connection;

    public async Task ResizeAsync(ushort columns, ushort rows, CancellationToken cancellationToken) =>
        await api.PostJsonAsync($"exec/{execId}/resize?h={rows}&w={columns}", null, cancellationToken).ConfigureAwait(false);

    public ValueTask DisposeAsync()
    {
        // Closing the connection hangs up the terminal; the shell gets SIGHUP and ends.
        connection.Dispose();
        return ValueTask.CompletedTask;
    }
}
