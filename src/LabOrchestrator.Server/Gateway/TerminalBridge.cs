using System.Buffers;
using System.Net.WebSockets;
using LabOrchestrator.Engines;

namespace LabOrchestrator.Server.Gateway;

/// <summary>
/// Moves bytes between a WebSocket and a terminal. Each direction has one pump; only the output pump sends, so sends
/// never overlap. Buffers come from the shared pool and are kept for the connection's life: a small one that interactive
/// output (an echo, a prompt) fits in, read into directly, so each frame costs one read and one send and nothing is
/// rented or allocated per frame; a large one only while output fills the small one (a command printing a lot), given
/// back once the terminal drains.
/// </summary>
internal static class TerminalBridge
{
    private const int SmallOutputBufferSize = 1024;
    private const int OutputBufferSize = 16 * 1024;
    private const int InputBufferSize = 4 * 1024;
    private static readonly TimeSpan CloseHandshakeTimeout = TimeSpan.FromSeconds(2);

    /// <summary>An owner's connection: keystrokes and resizes go to the terminal, its output to the socket and to the watchers.</summary>
    public static async Task RunOwnerAsync(WebSocket socket, ITerminalStream terminal, TerminalFeed feed, GatewayConnection connection, Func<Task<GatewayClose>> whenOutputEnds)
    {
        var receiving = ReceiveAsync(socket, connection, terminal, feed);
        await PumpOutputAsync(socket, terminal.Output, feed, connection);
        if (connection.Close is null)
        {
            connection.RequestClose(await whenOutputEnds());
        }

        await CloseAsync(socket, connection, receiving);
    }

    /// <summary>A watcher's connection: frames queued by the owner's pump go to the socket; whatever the watcher sends is dropped.</summary>
    public static async Task RunWatcherAsync(WebSocket socket, TerminalWatcher watcher, GatewayConnection connection)
    {
        var receiving = ReceiveAsync(socket, connection, terminal: null, feed: null);
        try
        {
            var frames = watcher.Frames;
            while (await frames.WaitToReadAsync(connection.Closing))
            {
                while (frames.TryRead(out var frame))
                {
                    try
                    {
                        await socket.SendAsync(frame.Buffer.AsMemory(0, frame.Length), frame.Type, endOfMessage: true, connection.Aborting);
                        connection.Transferred(toNode: false, frame.Length);
                    }
                    finally
                    {
                        frame.Release();
                    }
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException or IOException)
        {
            // Closing, or the client went away; the close below tells which.
        }

        connection.RequestClose(GatewayClose.ClientClosed);
        await CloseAsync(socket, connection, receiving);
    }

    private static async Task PumpOutputAsync(WebSocket socket, Stream output, TerminalFeed feed, GatewayConnection connection)
    {
        var small = ArrayPool<byte>.Shared.Rent(SmallOutputBufferSize);
        byte[]? large = null;
        try
        {
            while (true)
            {
                var buffer = large ?? small;
                var read = await output.ReadAsync(buffer, connection.Closing);
                if (read == 0)
                {
                    return;
                }

                await socket.SendAsync(buffer.AsMemory(0, read), WebSocketMessageType.Binary, endOfMessage: true, connection.Aborting);
                connection.Transferred(toNode: false, read);
                feed.Publish(buffer.AsSpan(0, read));
                if (read == buffer.Length)
                {
                    // More is coming: read it in larger pieces.
                    large ??= ArrayPool<byte>.Shared.Rent(OutputBufferSize);
                }
                else if (large is not null)
                {
                    // Drained for now: give the large buffer back while the terminal is quiet.
                    ArrayPool<byte>.Shared.Return(large);
                    large = null;
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException or IOException)
        {
            connection.RequestClose(GatewayClose.ClientClosed);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(small);
            if (large is not null)
            {
                ArrayPool<byte>.Shared.Return(large);
            }
        }
    }

    /// <summary>Reads until the client's close frame. Binary frames are keystrokes (dropped for watchers); text frames are control messages.</summary>
    private static async Task ReceiveAsync(WebSocket socket, GatewayConnection connection, ITerminalStream? terminal, TerminalFeed? feed)
    {
        await Task.Yield();
        var buffer = ArrayPool<byte>.Shared.Rent(InputBufferSize);
        var text = 0;
        try
        {
            while (true)
            {
                var result = await socket.ReceiveAsync(buffer.AsMemory(text), CancellationToken.None);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    connection.RequestClose(GatewayClose.ClientClosed);
                    return;
                }

                if (terminal is null || feed is null)
                {
                    continue;
                }

                if (result.MessageType == WebSocketMessageType.Binary)
                {
                    await WriteInputAsync(terminal, buffer.AsMemory(0, result.Count), connection);
                    continue;
                }

                text += result.Count;
                if (!result.EndOfMessage)
                {
                    if (text >= ControlMessages.MaxLength)
                    {
                        connection.RequestClose(GatewayClose.MessageTooBig);
                        return;
                    }

                    continue;
                }

                // Unknown or malformed control messages are ignored, so that newer clients work with this server.
                if (ControlMessages.TryReadResize(buffer.AsSpan(0, text), out var columns, out var rows, out _))
                {
                    await ResizeAsync(terminal, feed, columns, rows, connection);
                }

                text = 0;
            }
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException or IOException)
        {
            connection.RequestClose(GatewayClose.ClientClosed);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static async Task WriteInputAsync(ITerminalStream terminal, ReadOnlyMemory<byte> keystrokes, GatewayConnection connection)
    {
        try
        {
            connection.OnInput?.Invoke();
            await terminal.Input.WriteAsync(keystrokes, connection.Aborting);
            connection.Transferred(toNode: true, keystrokes.Length);
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or OperationCanceledException)
        {
            // The terminal is gone; the output pump sees its end and closes the connection.
        }
    }

    private static async Task ResizeAsync(ITerminalStream terminal, TerminalFeed feed, ushort columns, ushort rows, GatewayConnection connection)
    {
        try
        {
            await terminal.ResizeAsync(columns, rows, connection.Aborting);
            feed.Resized(columns, rows);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // A terminal that just ended cannot be resized; the output pump ends the connection.
        }
    }

    private static async Task CloseAsync(WebSocket socket, GatewayConnection connection, Task receiving)
    {
        var close = connection.Close ?? GatewayClose.ClientClosed;
        try
        {
            if (close.Message is { } message && socket.State == WebSocketState.Open)
            {
                await socket.SendAsync(message, WebSocketMessageType.Text, endOfMessage: true, connection.Aborting);
            }

            if (socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                await socket.CloseOutputAsync(close.Status, close.Reason, connection.Aborting);
            }

            await receiving.WaitAsync(CloseHandshakeTimeout);
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException or IOException or TimeoutException)
        {
            // A client that does not answer the close handshake is cut off below.
        }
        finally
        {
            if (socket.State != WebSocketState.Closed)
            {
                socket.Abort();
            }
        }
    }
}
