namespace LabOrchestrator.Kubernetes.Engine;

/// <summary>A write-only stream whose writes become messages on one channel (a terminal's keystrokes on stdin).</summary>
internal sealed class ChannelWriteStream(ChannelConnection connection, byte channel) : Stream
{
    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) =>
        new(connection.SendAsync(channel, buffer, cancellationToken));

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        connection.SendAsync(channel, buffer.AsMemory(offset, count), cancellationToken);

    public override void Write(byte[] buffer, int offset, int count) =>
        connection.SendAsync(channel, buffer.AsMemory(offset, count), CancellationToken.None).GetAwaiter().GetResult();

    public override void Flush()
    {
    }

    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
}
