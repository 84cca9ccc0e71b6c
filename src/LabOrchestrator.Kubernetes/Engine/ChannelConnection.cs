using System.Buffers;
using System.IO.Pipelines;
using System.Net.WebSockets;
using System.Text;

namespace LabOrchestrator.Kubernetes.Engine;

/// <summary>
/// Kubernetes' channel protocol over a WebSocket (<c>v5.channel.k8s.io</c>, falling back to <c>v4.channel.k8s.io</c>):
/// every binary message starts with a channel byte — 0 stdin, 1 stdout, 2 stderr, 3 status, 4 resize; v5 adds 255,
/// which closes a channel (stdin's end of file). Port-forward uses the same framing with two channels per port whose
/// first message from the server carries the port number in two bytes.
/// </summary>
internal sealed class ChannelConnection : IAsyncDisposable
{
    public const string V5 = "v5.channel.k8s.io";
    public const string V4 = "v4.channel.k8s.io";
    public const byte Stdin = 0, Stdout = 1, Stderr = 2, Status = 3, Resize = 4, Close = 255;

    private readonly WebSocket socket;
    private readonly bool portPrefixed;
    private readonly Pipe stdout = new();
    private readonly Pipe stderr = new();
    private readonly StringBuilder status = new();
    private readonly SemaphoreSlim sending = new(1, 1);
    private readonly Task reading;
    private readonly HashSet<byte> prefixSeen = [];

    public ChannelConnection(WebSocket socket, bool portPrefixed = false)
    {
        this.socket = socket;
        this.portPrefixed = portPrefixed;
        reading = Task.Run(ReadAsync);
    }

    /// <summary>Whether the server speaks v5 (which can signal the end of stdin).</summary>
    public bool IsV5 => socket.SubProtocol == V5;

    /// <summary>What the process wrote to stdout (channel 1, or port-forward's data channel 0); ends when the connection does.</summary>
    public Stream Output => stdout.Reader.AsStream();

    public Stream ErrorOutput => stderr.Reader.AsStream();

    /// <summary>The status message of channel 3 once the connection ended (exec's exit), empty if none came.</summary>
    public async Task<string> StatusAsync(CancellationToken cancellationToken)
    {
        await reading.WaitAsync(cancellationToken).ConfigureAwait(false);
        return status.ToString();
    }

    public async Task SendAsync(byte channel, ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(data.Length + 1);
        try
        {
            buffer[0] = channel;
            data.CopyTo(buffer.AsMemory(1));
            await sending.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                await socket.SendAsync(buffer.AsMemory(0, data.Length + 1), WebSocketMessageType.Binary, true, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                sending.Release();
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Ends stdin (v5 only; v4 has no way to say it, so the caller closes the connection instead).</summary>
    public async Task CloseStdinAsync(CancellationToken cancellationToken)
    {
        if (IsV5)
        {
            await SendAsync(Close, new byte[] { Stdin }, cancellationToken).ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (socket.State == WebSocketState.Open)
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, timeout.Token).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The other side went first.
        }

        socket.Abort();
        await reading.ConfigureAwait(false);
        socket.Dispose();
        sending.Dispose();
    }

    private async Task ReadAsync()
    {
        var buffer = new byte[64 * 1024];
        Exception? failure = null;
        try
        {
            while (true)
            {
                var message = new ArrayBufferWriter<byte>();
                ValueWebSocketReceiveResult result;
                do
                {
                    result = await socket.ReceiveAsync(buffer.AsMemory(), CancellationToken.None).ConfigureAwait(false);
                    if (result.MessageType == WebSocketMessageType.Close)
                    {
                        return;
                    }

                    message.Write(buffer.AsSpan(0, result.Count));
                }
                while (!result.EndOfMessage);

                if (message.WrittenCount == 0)
                {
                    continue;
                }

                var channel = message.WrittenSpan[0];
                var data = message.WrittenMemory[1..];
                if (portPrefixed && prefixSeen.Add(channel))
                {
                    // The server's first message on each port-forward channel is the port number.
                    data = data.Length >= 2 ? data[2..] : ReadOnlyMemory<byte>.Empty;
                }

                var target = (portPrefixed, channel) switch
                {
                    (true, 0) or (false, Stdout) => stdout.Writer,
                    (true, 1) or (false, Stderr) => stderr.Writer,
                    _ => null,
                };
                if (target is not null)
                {
                    await target.WriteAsync(data).ConfigureAwait(false);
                }
                else if (!portPrefixed && channel == Status)
                {
                    status.Append(Encoding.UTF8.GetString(data.Span));
                }
            }
        }
        catch (Exception e) when (e is WebSocketException or ObjectDisposedException or OperationCanceledException)
        {
            failure = null;
        }
        finally
        {
            await stdout.Writer.CompleteAsync(failure).ConfigureAwait(false);
            await stderr.Writer.CompleteAsync(failure).ConfigureAwait(false);
        }
    }
}
