using System.Buffers;
using System.Net.Sockets;
using System.Net.WebSockets;

namespace LabOrchestrator.Server.Gateway;

/// <summary>
/// Moves the RFB stream of a node's VNC server between the engine's stream and a WebSocket, as websockify does: binary
/// frames carry the bytes unchanged. When either side ends, so does the other. Watchers' input is filtered out.
/// </summary>
internal static class DesktopBridge
{
    // A full-screen Raw update is 4 MB, a Tight or ZRLE one tens to hundreds of KB: large reads mean few frames and few
    // flushes through Kestrel (whose response buffer, Server:ResponseBufferBytes, holds two of them).
    private const int BufferSize = 256 * 1024;
    private static readonly TimeSpan CloseHandshakeTimeout = TimeSpan.FromSeconds(2);

    public static async Task RunAsync(WebSocket socket, Stream vnc, GatewayConnection connection, RfbInputFilter? watchFilter)
    {
        var toServer = PumpToServerAsync(socket, vnc, watchFilter, connection);
        var toClient = PumpToClientAsync(socket, vnc, connection);
        await Task.WhenAny(toServer, toClient);

        // Whichever side ended first, the other follows: Closing stops reading the desktop, then the close frame goes
        // out, and the client's answer (or, a second later, Aborting) ends the receiving pump.
        connection.RequestClose(GatewayClose.ClientClosed);
        await Quietly(toClient);
        var close = connection.Close ?? GatewayClose.ClientClosed;
        if (socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
        {
            using var timeout = new CancellationTokenSource(CloseHandshakeTimeout);
            try
            {
                await socket.CloseOutputAsync(close.Status, close.Reason, timeout.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or WebSocketException or IOException)
            {
                // The client is gone.
            }
        }

        await Quietly(toServer);
    }

    private static async Task PumpToServerAsync(WebSocket socket, Stream vnc, RfbInputFilter? filter, GatewayConnection connection)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        var probe = new RfbActivityProbe();
        try
        {
            while (true)
            {
                var received = await socket.ReceiveAsync(buffer.AsMemory(), connection.Aborting);
                if (received.MessageType == WebSocketMessageType.Close)
                {
                    connection.RequestClose(GatewayClose.ClientClosed);
                    return;
                }

                if (connection.Close is not null)
                {
                    // Closing: what the client still sends is dropped while its close frame is awaited.
                    continue;
                }

                var bytes = buffer.AsMemory(0, received.Count);
                if (filter is null && connection.OnInput is not null && probe.IsInput(bytes.Span))
                {
                    connection.OnInput();
                }

                if (filter is not null)
                {
                    var passed = filter.Push(bytes.Span);
                    if (passed is null)
                    {
                        connection.RequestClose(GatewayClose.ProtocolError(filter.Refusal!));
                        return;
                    }

                    bytes = passed;
                }

                if (bytes.Length > 0)
                {
                    await vnc.WriteAsync(bytes, connection.Closing);
                    connection.Transferred(toNode: true, bytes.Length);
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// Desktop to browser, double-buffered: the next read from the desktop runs while the previous chunk is being sent,
    /// so neither side waits for the other (a full-screen update is megabytes).
    /// </summary>
    private static async Task PumpToClientAsync(WebSocket socket, Stream vnc, GatewayConnection connection)
    {
        var current = ArrayPool<byte>.Shared.Rent(BufferSize);
        var next = ArrayPool<byte>.Shared.Rent(BufferSize);
        Task? sending = null;
        Task<int>? reading = null;
        try
        {
            var read = await vnc.ReadAsync(current.AsMemory(), connection.Closing);
            while (read > 0)
            {
                sending = socket.SendAsync(current.AsMemory(0, read), WebSocketMessageType.Binary, endOfMessage: true, connection.Aborting).AsTask();
                reading = vnc.ReadAsync(next.AsMemory(), connection.Closing).AsTask();
                await sending;
                connection.Transferred(toNode: false, read);
                read = await reading;
                (sending, reading) = (null, null);
                (current, next) = (next, current);
            }

            connection.RequestClose(GatewayClose.DesktopClosed);
        }
        finally
        {
            // Neither buffer goes back to the pool while a send or read may still use it.
            connection.RequestClose(GatewayClose.ClientClosed);
            await Quietly(sending ?? Task.CompletedTask);
            await Quietly(reading ?? Task.CompletedTask);
            ArrayPool<byte>.Shared.Return(current);
            ArrayPool<byte>.Shared.Return(next);
        }
    }

    private static async Task Quietly(Task pump)
    {
        try
        {
            await pump;
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException or IOException or SocketException)
        {
            // One side went away or the connection is closing; the close status tells the client why.
        }
    }
}
