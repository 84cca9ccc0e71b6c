using System.Buffers.Binary;
using System.Diagnostics;
using System.Text;

namespace LabOrchestrator.Bench;

/// <summary>
/// The least RFB (VNC) client that can measure a desktop path: RFB 003.008, security None, shared ClientInit,
/// 32 bpp true colour, one encoding (Raw, or Tight or ZRLE as noVNC negotiates them, with Raw as the fallback), and
/// framebuffer update requests whose whole answers it reads. Compressed data is skipped, not decoded: every
/// contender's client does the same work, and the bench measures the path, not a decoder.
/// </summary>
internal sealed class RfbClient(Stream stream, string encoding = RfbClient.Raw)
{
    public const string Raw = "raw";
    public const string Tight = "tight";
    public const string Zrle = "zrle";

    private const int RawEncoding = 0;
    private const int TightEncoding = 7;
    private const int ZrleEncoding = 16;

    // noVNC's defaults: JPEG quality 6 and compression level 2 (pseudo-encodings -32 + 6 and -256 + 2).
    private const int QualityLevel6 = -26;
    private const int CompressLevel2 = -254;

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
        int[] wanted = encoding switch
        {
            Raw => [RawEncoding],
            Tight => [TightEncoding, RawEncoding, QualityLevel6, CompressLevel2],
            Zrle => [ZrleEncoding, RawEncoding],
            _ => throw new ArgumentException($"Unknown encoding '{encoding}': use raw, tight or zrle."),
        };
        var encodings = new byte[4 + (4 * wanted.Length)];
        encodings[0] = 2;
        BinaryPrimitives.WriteUInt16BigEndian(encodings.AsSpan(2), (ushort)wanted.Length);
        for (var i = 0; i < wanted.Length; i++)
        {
            BinaryPrimitives.WriteInt32BigEndian(encodings.AsSpan(4 + (4 * i)), wanted[i]);
        }

        await stream.WriteAsync(pixelFormat.Concat(encodings).ToArray(), cancellationToken);
        await stream.FlushAsync(cancellationToken);
    }

    /// <summary>Asks for an update of a region and reads the whole update; returns its size and when its first byte came.</summary>
    public async Task<(long Bytes, long FirstByteTimestamp)> RequestUpdateAsync(int x, int y, int width, int height, CancellationToken cancellationToken, bool incremental = false)
    {
        var request = new byte[10];
        request[0] = 3;
        request[1] = incremental ? (byte)1 : (byte)0;
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
            var type = BinaryPrimitives.ReadInt32BigEndian(rectangle.AsSpan(8));
            bytes += 12 + type switch
            {
                RawEncoding => await SkipCountedAsync((long)width * height * 4, cancellationToken),
                ZrleEncoding => await SkipCountedAsync(BinaryPrimitives.ReadUInt32BigEndian(await ReadBytesAsync(4, cancellationToken)), cancellationToken) + 4,
                TightEncoding when encoding == Tight => await SkipTightAsync(width, height, cancellationToken),
                _ => throw new InvalidOperationException($"Unexpected encoding {type}: only {encoding} and Raw were asked for."),
            };
        }

        return bytes;
    }

    /// <summary>One Tight rectangle (RFB 7.7.4), for 32 bpp depth 24 (a pixel is 3 bytes): fill, JPEG, or basic with a filter.</summary>
    private async Task<long> SkipTightAsync(int width, int height, CancellationToken cancellationToken)
    {
        const int pixel = 3;
        var control = (await ReadBytesAsync(1, cancellationToken))[0];
        var kind = control >> 4;
        if (kind == 8)
        {
            return 1 + await SkipCountedAsync(pixel, cancellationToken);
        }

        if (kind == 9)
        {
            var (jpeg, size) = await ReadCompactLengthAsync(cancellationToken);
            return 1 + size + await SkipCountedAsync(jpeg, cancellationToken);
        }

        if ((kind & 8) != 0)
        {
            throw new InvalidOperationException($"Unexpected Tight compression control {control:x2}.");
        }

        long header = 1;
        long raw = (long)width * height * pixel;
        if ((kind & 4) != 0)
        {
            header++;
            var filter = (await ReadBytesAsync(1, cancellationToken))[0];
            if (filter == 1)
            {
                var colours = (await ReadBytesAsync(1, cancellationToken))[0] + 1;
                header += 1 + await SkipCountedAsync(colours * pixel, cancellationToken);
                raw = colours == 2 ? (long)((width + 7) / 8) * height : (long)width * height;
            }
        }

        if (raw < 12)
        {
            return header + await SkipCountedAsync(raw, cancellationToken);
        }

        var (compressed, lengthSize) = await ReadCompactLengthAsync(cancellationToken);
        return header + lengthSize + await SkipCountedAsync(compressed, cancellationToken);
    }

    private async Task<(long Length, int Size)> ReadCompactLengthAsync(CancellationToken cancellationToken)
    {
        long length = 0;
        for (var i = 0; i < 3; i++)
        {
            var b = (await ReadBytesAsync(1, cancellationToken))[0];
            length |= (long)(i == 2 ? b : b & 0x7f) << (7 * i);
            if (i == 2 || (b & 0x80) == 0)
            {
                return (length, i + 1);
            }
        }

        throw new InvalidOperationException("unreachable");
    }

    private async Task<long> SkipCountedAsync(long length, CancellationToken cancellationToken)
    {
        await SkipAsync(length, cancellationToken);
        return length;
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
