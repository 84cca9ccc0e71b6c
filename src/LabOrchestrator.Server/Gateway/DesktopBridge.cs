using System.Buffers;
using System.Net.Sockets;
using System.Net.WebSockets;

namespace LabOrchestrator.Server.Gateway;

/// <summary>
/// Moves the RFB stream of a node's VNC server between a TCP connection and a WebSocket, as websockify does: binary
/// frames carry the bytes unchanged. When either side ends, so does the other. Watchers' input is filtered out.
/// </summary>
internal static class DesktopBridge
{
    private const int BufferSize = 64 * 1024;
    private static readonly TimeSpan CloseHandshakeTimeout = TimeSpan.FromSeconds(2);

    public static async Task RunAsync(WebSocket socket, NetworkStream vnc, GatewayConnection connection, RfbInputFilter? watchFilter)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(connection.Closing);
        var toServer = PumpToServerAsync(socket, vnc, watchFilter, connection, stop);
        var toClient = PumpToClientAsync(socket, vnc, connection, stop);
        await Task.WhenAny(toServer, toClient);
        await stop.CancelAsync();
        await Task.WhenAll(Quietly(toServer), Quietly(toClient));

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
    }

    private static async Task PumpToServerAsync(WebSocket socket, NetworkStream vnc, RfbInputFilter? filter, GatewayConnection connection, CancellationTokenSource stop)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            while (true)
            {
                var received = await socket.ReceiveAsync(buffer.AsMemory(), stop.Token);
                if (received.MessageType == WebSocketMessageType.Close)
                {
                    connection.RequestClose(GatewayClose.ClientClosed);
                    return;
                }

                var bytes = buffer.AsMemory(0, received.Count);
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
                    await vnc.WriteAsync(bytes, stop.Token);
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static async Task PumpToClientAsync(WebSocket socket, NetworkStream vnc, GatewayConnection connection, CancellationTokenSource stop)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            while (true)
            {
                var read = await vnc.ReadAsync(buffer.AsMemory(), stop.Token);
                if (read == 0)
                {
                    connection.RequestClose(GatewayClose.DesktopClosed);
                    return;
                }

                await socket.SendAsync(buffer.AsMemory(0, read), WebSocketMessageType.Binary, endOfMessage: true, connection.Aborting);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
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
