using System.Buffers.Binary;
using System.Diagnostics;
using System.Text;

namespace LabOrchestrator.Bench;

/// <summary>
/// The least RFB (VNC) client that can measure a desktop path: RFB 003.008, security None, shared ClientInit,
/// 32 bpp true colour, Raw encoding only, and framebuffer update requests whose whole answers it reads.
/// </summary>
internal sealed class RfbClient(Stream stream)
{
    private readonly byte[] scratch = new byte[256 * 1024];

    public int Width { get; private set; }
    public int Height { get; private set; }

    public async Task HandshakeAsync(CancellationToken cancellationToken)
    {
        var version = await ReadBytesAsync(12, cancellationToken);
        if (!Encoding.ASCII.GetString(version).StartsWith("RFB 003.", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"Not an RFB server: '{Encoding.ASCII.GetString(version).Trim()}'.");
        }

        await stream.WriteAsync("RFB 003.008\n"u8.ToArray(), cancellationToken);
        var count = (await ReadBytesAsync(1, cancellationToken))[0];
        var types = await ReadBytesAsync(count, cancellationToken);
        if (!types.Contains((byte)1))
        {
            throw new InvalidOperationException($"The server does not offer security type None (offers {string.Join(',', types)}).");
        }

        await stream.WriteAsync(new byte[] { 1 }, cancellationToken);
        if (BinaryPrimitives.ReadUInt32BigEndian(await ReadBytesAsync(4, cancellationToken)) != 0)
        {
            throw new InvalidOperationException("The server refused security type None.");
        }

        await stream.WriteAsync(new byte[] { 1 }, cancellationToken); // ClientInit: shared
        var init = await ReadBytesAsync(24, cancellationToken);
        Width = BinaryPrimitives.ReadUInt16BigEndian(init);
        Height = BinaryPrimitives.ReadUInt16BigEndian(init.AsSpan(2));
        await ReadBytesAsync((int)BinaryPrimitives.ReadUInt32BigEndian(init.AsSpan(20)), cancellationToken);

        // SetPixelFormat: 32 bpp, depth 24, little-endian, true colour, 8 bits per channel (red 16, green 8, blue 0).
        byte[] pixelFormat = [0, 0, 0, 0, 32, 24, 0, 1, 0, 255, 0, 255, 0, 255, 16, 8, 0, 0, 0, 0];
        // SetEncodings: Raw only.
        byte[] encodings = [2, 0, 0, 1, 0, 0, 0, 0];
        await stream.WriteAsync(pixelFormat.Concat(encodings).ToArray(), cancellationToken);
        await stream.FlushAsync(cancellationToken);
    }

    /// <summary>Asks for a non-incremental update of a region and reads the whole update; returns its size and when its first byte came.</summary>
    public async Task<(long Bytes, long FirstByteTimestamp)> RequestUpdateAsync(int x, int y, int width, int height, CancellationToken cancellationToken)
    {
        var request = new byte[10];
        request[0] = 3;
        BinaryPrimitives.WriteUInt16BigEndian(request.AsSpan(2), (ushort)x);
        BinaryPrimitives.WriteUInt16BigEndian(request.AsSpan(4), (ushort)y);
        BinaryPrimitives.WriteUInt16BigEndian(request.AsSpan(6), (ushort)width);
        BinaryPrimitives.WriteUInt16BigEndian(request.AsSpan(8), (ushort)height);
        await stream.WriteAsync(request, cancellationToken);
        await stream.FlushAsync(cancellationToken);

        while (true)
        {
            var type = (await ReadBytesAsync(1, cancellationToken))[0];
            var firstByte = Stopwatch.GetTimestamp();
            switch (type)
            {
                case 0:
                    return (await ReadUpdateAsync(cancellationToken), firstByte);
                case 2: // Bell
                    break;
                case 3: // ServerCutText
                    var header = await ReadBytesAsync(7, cancellationToken);
                    await SkipAsync(BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(3)), cancellationToken);
                    break;
                default:
                    throw new InvalidOperationException($"Unexpected RFB server message {type}.");
            }
        }
    }

    private async Task<long> ReadUpdateAsync(CancellationToken cancellationToken)
    {
        var header = await ReadBytesAsync(3, cancellationToken);
        var rectangles = BinaryPrimitives.ReadUInt16BigEndian(header.AsSpan(1));
        long bytes = 4;
        for (var i = 0; i < rectangles; i++)
        {
            var rectangle = await ReadBytesAsync(12, cancellationToken);
            var width = BinaryPrimitives.ReadUInt16BigEndian(rectangle.AsSpan(4));
            var height = BinaryPrimitives.ReadUInt16BigEndian(rectangle.AsSpan(6));
            var encoding = BinaryPrimitives.ReadInt32BigEndian(rectangle.AsSpan(8));
            if (encoding != 0)
            {
                throw new InvalidOperationException($"Unexpected encoding {encoding}: only Raw was asked for.");
            }

            var length = (long)width * height * 4;
            await SkipAsync(length, cancellationToken);
            bytes += 12 + length;
        }

        return bytes;
    }

    private async Task SkipAsync(long length, CancellationToken cancellationToken)
    {
        while (length > 0)
        {
            var read = await stream.ReadAsync(scratch.AsMemory(0, (int)Math.Min(length, scratch.Length)), cancellationToken);
            if (read == 0)
            {
                throw new EndOfStreamException("The RFB server closed the connection.");
            }

            length -= read;
        }
    }

    private async Task<byte[]> ReadBytesAsync(int count, CancellationToken cancellationToken)
    {
        var buffer = new byte[count];
        await stream.ReadExactlyAsync(buffer, cancellationToken);
        return buffer;
    }
}
