using LabOrchestrator.Engines;

namespace LabOrchestrator.Cli.Terminal;

/// <summary>Copies keystrokes to a node's terminal and what it prints back, byte for byte, until the shell exits.</summary>
internal static class TerminalPump
{
    private const int BufferSize = 16 * 1024;
    // End of transmission: on the node's pty it means end of input, so a piped script without 'exit' still ends the shell.
    private const byte EndOfTransmission = 0x04;

    /// <summary>Returns when the terminal's output ends, that is when the shell has exited.</summary>
    public static async Task RunAsync(ITerminalStream terminal, Stream input, Stream output, bool sendEndOfInput, CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var printing = CopyAsync(terminal.Output, output, stop.Token);
        var typing = TypeAsync(input, terminal.Input, sendEndOfInput, stop.Token);

        var first = await Task.WhenAny(printing, typing);
        if (first == typing && typing.IsFaulted)
        {
            await stop.CancelAsync();
        }

        try
        {
            await printing;
        }
        finally
        {
            await stop.CancelAsync();
            // Reading standard input cannot always be cancelled; the process ends soon after, so it is not awaited.
            _ = typing.ContinueWith(t => t.Exception, TaskScheduler.Default);
        }

        if (typing.IsFaulted && !cancellationToken.IsCancellationRequested)
        {
            await typing;
        }
    }

    private static async Task CopyAsync(Stream from, Stream to, CancellationToken cancellationToken)
    {
        var buffer = new byte[BufferSize];
        int read;
        while ((read = await from.ReadAsync(buffer, cancellationToken)) > 0)
        {
            await to.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
            await to.FlushAsync(cancellationToken);
        }
    }

    private static async Task TypeAsync(Stream from, Stream to, bool sendEndOfInput, CancellationToken cancellationToken)
    {
        var buffer = new byte[BufferSize];
        int read;
        while ((read = await from.ReadAsync(buffer, cancellationToken)) > 0)
        {
            if (!await TryWriteAsync(to, buffer.AsMemory(0, read), cancellationToken))
            {
                return;
            }
        }

        if (sendEndOfInput)
        {
            await TryWriteAsync(to, new[] { EndOfTransmission }, cancellationToken);
        }
    }

    /// <summary>
    /// False when the terminal no longer takes input: the shell has exited and closed the connection, which the output
    /// side reports as the normal end; keystrokes typed after that have nowhere to go.
    /// </summary>
    private static async Task<bool> TryWriteAsync(Stream to, ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken)
    {
        try
        {
            await to.WriteAsync(bytes, cancellationToken);
            await to.FlushAsync(cancellationToken);
            return true;
        }
        catch (IOException)
        {
            return false;
        }
    }
}
