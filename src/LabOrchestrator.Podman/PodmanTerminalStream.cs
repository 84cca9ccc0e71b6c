using LabOrchestrator.Engines;
using Microsoft.Extensions.Logging;

namespace LabOrchestrator.Podman;

/// <summary>A shell with a terminal: both directions travel on the one hijacked connection.</summary>
internal sealed class PodmanTerminalStream(HijackedConnection connection, PodmanApiClient api, string execId, ILogger logger) : ITerminalStream
{
    private int disposed;

    public Stream Input => connection;

    public Stream Output => connection;

    public async Task ResizeAsync(ushort columns, ushort rows, CancellationToken cancellationToken) =>
        await api.PostJsonAsync($"exec/{execId}/resize?h={rows}&w={columns}", null, cancellationToken).ConfigureAwait(false);

    /// <summary>Ends the shell and everything started in it (closing the connection alone leaves them running).</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) == 1)
        {
            return;
        }

        connection.Dispose();
        await ExecProcessKiller.KillAsync(api, execId, logger, CancellationToken.None).ConfigureAwait(false);
    }
}
