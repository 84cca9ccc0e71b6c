using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace LabOrchestrator.Podman;

/// <summary>
/// A Podman exec start: the API answers the HTTP request and then hands the socket over to the process's
/// stdin/stdout. HttpClient cannot give that socket back, so the request is written by hand on a raw unix socket.
/// </summary>
internal sealed class HijackedConnection : Stream
{
    private readonly Socket socket;
    private readonly NetworkStream network;
    private ReadOnlyMemory<byte> pending;

    private HijackedConnection(Socket socket, ReadOnlyMemory<byte> pending)
    {
        this.socket = socket;
        network = new NetworkStream(socket, ownsSocket: true);
        this.pending = pending;
    }

    public static async Task<HijackedConnection> StartExecAsync(string socketPath, string execId, bool tty, ushort columns, ushort rows, CancellationToken cancellationToken)
    {
        var body = JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["Detach"] = false,
            ["Tty"] = tty,
            ["h"] = rows,
            ["w"] = columns,
        });
        var request =
            $"POST {PodmanApiClient.Prefix}exec/{execId}/start HTTP/1.1\r\n" +
            "Host: podman\r\nContent-Type: application/json\r\n" +
            "Connection: Upgrade\r\nUpgrade: tcp\r\n" +
            $"Content-Length: {Encoding.UTF8.GetByteCount(body)}\r\n\r\n{body}";

        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), cancellationToken).ConfigureAwait(false);
            await socket.SendAsync(Encoding.UTF8.GetBytes(request), SocketFlags.None, cancellationToken).ConfigureAwait(false);
            var (status, headerLength, received, length) = await ReadHeadersAsync(socket, cancellationToken).ConfigureAwait(false);
            var rest = received.AsMemory(headerLength, length - headerLength);
            if (status is not (101 or 200))
            {
                throw new PodmanApiException((System.Net.HttpStatusCode)status, $"Podman refused to start the command ({status}): {Encoding.UTF8.GetString(rest.Span).Trim()}");
            }

            return new HijackedConnection(socket, rest.ToArray());
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public override bool CanRead => true;
    public override bool CanWrite => true;
    public override bool CanSeek => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    // Terminals read in a loop that mostly waits; a pooled builder keeps each wait from allocating.
    [System.Runtime.CompilerServices.AsyncMethodBuilder(typeof(System.Runtime.CompilerServices.PoolingAsyncValueTaskMethodBuilder<>))]
    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (!pending.IsEmpty)
        {
            var count = Math.Min(buffer.Length, pending.Length);
            pending[..count].CopyTo(buffer);
            pending = pending[count..];
            return count;
        }

        try
        {
            return await network.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        }
        catch (IOException) when (!cancellationToken.IsCancellationRequested)
        {
            // Podman resets the connection when the process ends; to the reader that is the end of output.
            return 0;
        }
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) =>
        throw new NotSupportedException("Read asynchronously.");

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) =>
        network.WriteAsync(buffer, cancellationToken);

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        network.WriteAsync(buffer, offset, count, cancellationToken);

    public override void Write(byte[] buffer, int offset, int count) => network.Write(buffer, offset, count);

    public override Task FlushAsync(CancellationToken cancellationToken) => network.FlushAsync(cancellationToken);

    public override void Flush() => network.Flush();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    /// <summary>Tells the process its stdin ended, while its output can still be read.</summary>
    public void CloseInput() => socket.Shutdown(SocketShutdown.Send);

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            network.Dispose();
        }

        base.Dispose(disposing);
    }

    private static async Task<(int Status, int HeaderLength, byte[] Buffer, int Length)> ReadHeadersAsync(Socket socket, CancellationToken cancellationToken)
    {
        var buffer = new byte[16 * 1024];
        var length = 0;
        while (true)
        {
            var read = await socket.ReceiveAsync(buffer.AsMemory(length), SocketFlags.None, cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                throw new IOException("Podman closed the connection before answering the exec start.");
            }

            length += read;
            var end = buffer.AsSpan(0, length).IndexOf("\r\n\r\n"u8);
            if (end >= 0)
            {
                var head = Encoding.ASCII.GetString(buffer, 0, end);
                var statusLine = head.Split("\r\n")[0].Split(' ');
                var status = statusLine.Length > 1 && int.TryParse(statusLine[1], out var code) ? code : 0;
                return (status, end + 4, buffer, length);
            }

            if (length == buffer.Length)
            {
                throw new IOException("Podman's answer to the exec start has oversized headers.");
            }
        }
    }
}
