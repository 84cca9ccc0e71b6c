using System.Buffers.Binary;

namespace LabOrchestrator.Podman;

/// <summary>
/// The stdin and stdout of a command started without a terminal, as one duplex byte stream: writes go to its stdin
/// unchanged; reads return its stdout, taken out of Podman's attach frames (stderr frames are dropped). Binary data
/// passes untouched, which a terminal's line discipline would not guarantee.
/// </summary>
internal sealed class ExecByteStream(HijackedConnection connection, Func<Task>? onClosed = null) : Stream
{
    private readonly byte[] header = new byte[8];
    private int remaining;
    private bool skipping;

    public override bool CanRead => true;
    public override bool CanWrite => true;
    public override bool CanSeek => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (buffer.IsEmpty)
        {
            return 0;
        }

        while (true)
        {
            if (remaining == 0)
            {
                if (!await FillHeaderAsync(cancellationToken).ConfigureAwait(false))
                {
                    return 0;
                }

                remaining = (int)BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(4));
                skipping = header[0] == 2;
                continue;
            }

            var read = await connection.ReadAsync(buffer[..Math.Min(buffer.Length, remaining)], cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                return 0;
            }

            remaining -= read;
            if (!skipping)
            {
                return read;
            }
        }
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer, offset, count, CancellationToken.None).GetAwaiter().GetResult();

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) =>
        connection.WriteAsync(buffer, cancellationToken);

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        connection.WriteAsync(buffer, offset, count, cancellationToken);

    public override void Write(byte[] buffer, int offset, int count) => connection.Write(buffer, offset, count);

    public override Task FlushAsync(CancellationToken cancellationToken) => connection.FlushAsync(cancellationToken);

    public override void Flush() => connection.Flush();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            connection.Dispose();
        }

        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        await connection.DisposeAsync().ConfigureAwait(false);
        if (Interlocked.Exchange(ref onClosed, null) is { } closed)
        {
            await closed().ConfigureAwait(false);
        }

        await base.DisposeAsync().ConfigureAwait(false);
    }

    private async Task<bool> FillHeaderAsync(CancellationToken cancellationToken)
    {
        var filled = 0;
        while (filled < header.Length)
        {
            var read = await connection.ReadAsync(header.AsMemory(filled), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                return false;
            }

            filled += read;
        }

        return true;
    }
}
