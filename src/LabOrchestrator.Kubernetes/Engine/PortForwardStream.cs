using LabOrchestrator.Engines;

namespace LabOrchestrator.Kubernetes.Engine;

/// <summary>
/// One forwarded TCP connection: reads what the port sends (data channel 0), writes go to it on the same channel. The
/// kubelet reports a port it could not connect to (nothing listens there) on the error channel and closes: the read
/// that meets that end throws an <see cref="EngineException"/> with its words instead of a silent end of stream.
/// </summary>
internal sealed class PortForwardStream(ChannelConnection connection, string node, int port) : Stream
{
    private readonly Stream received = connection.Output;
    private string? error;

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var read = await received.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        if (read == 0 && buffer.Length > 0)
        {
            await ThrowIfRefusedAsync(cancellationToken).ConfigureAwait(false);
        }

        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) =>
        new(connection.SendAsync(0, buffer, cancellationToken));

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        connection.SendAsync(0, buffer.AsMemory(offset, count), cancellationToken);

    public override void Write(byte[] buffer, int offset, int count) =>
        connection.SendAsync(0, buffer.AsMemory(offset, count), CancellationToken.None).GetAwaiter().GetResult();

    private async Task ThrowIfRefusedAsync(CancellationToken cancellationToken)
    {
        if (error is null)
        {
            using var reader = new StreamReader(connection.ErrorOutput, System.Text.Encoding.UTF8);
            error = (await reader.ReadToEndAsync(cancellationToken).ConfigureAwait(false)).Trim();
        }

        if (error.Length > 0)
        {
            throw new EngineException($"Port {port} of node '{node}' could not be reached: {error}");
        }
    }

    public override void Flush()
    {
    }

    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();

    public override async ValueTask DisposeAsync()
    {
        await connection.DisposeAsync().ConfigureAwait(false);
        await base.DisposeAsync().ConfigureAwait(false);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            connection.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }

        base.Dispose(disposing);
    }
}
