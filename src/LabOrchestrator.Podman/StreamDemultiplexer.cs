using System.Buffers.Binary;

namespace LabOrchestrator.Podman;

/// <summary>
/// Splits Podman's attach format (without a terminal): frames of an 8-byte header — stream (1 stdout, 2 stderr),
/// three zero bytes, big-endian payload length — followed by the payload.
/// </summary>
internal static class StreamDemultiplexer
{
    public static async Task CopyAsync(Stream source, Stream stdout, Stream stderr, CancellationToken cancellationToken)
    {
        var header = new byte[8];
        var payload = new byte[32 * 1024];
        while (await FillAsync(source, header, cancellationToken).ConfigureAwait(false))
        {
            var length = (int)BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(4));
            var target = header[0] == 2 ? stderr : stdout;
            while (length > 0)
            {
                var read = await source.ReadAsync(payload.AsMemory(0, Math.Min(length, payload.Length)), cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    return;
                }

                await target.WriteAsync(payload.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                length -= read;
            }
        }
    }

    /// <summary>Whether bytes look like framed output rather than raw terminal text (container logs come either way).</summary>
    public static bool LooksFramed(ReadOnlySpan<byte> data) =>
        data.Length >= 8 && data[0] <= 2 && data[1] == 0 && data[2] == 0 && data[3] == 0;

    private static async Task<bool> FillAsync(Stream source, byte[] buffer, CancellationToken cancellationToken)
    {
        var filled = 0;
        while (filled < buffer.Length)
        {
            var read = await source.ReadAsync(buffer.AsMemory(filled), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                return false;
            }

            filled += read;
        }

        return true;
    }
}
