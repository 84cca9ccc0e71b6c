using System.Buffers.Binary;

namespace LabOrchestrator.Server.Gateway;

/// <summary>
/// Reads what a VNC client sends (RFB 3.7/3.8, RFC 6143) and lets through everything but input: key and pointer events
/// and clipboard text are dropped, so a watcher sees a desktop without being able to touch it. A message it does not
/// know ends the connection rather than being passed on unread.
/// </summary>
internal sealed class RfbInputFilter
{
    private enum Stage { Version, Security, SecurityResponse, ClientInit, Messages }

    private const int VersionLength = 12;
    private const byte VncAuthentication = 2;
    private const int VncAuthenticationResponseLength = 16;

    private readonly List<byte> pending = [];
    private Stage stage = Stage.Version;

    /// <summary>How many input messages (keys, pointer, clipboard) it has seen and dropped so far.</summary>
    public int DroppedMessages { get; private set; }

    /// <summary>Why the filter refused the stream, once it has.</summary>
    public string? Refusal { get; private set; }

    /// <summary>
    /// Takes the next bytes from the client and returns those to pass to the server (complete messages only; the rest
    /// waits for more bytes). Returns null once the stream is refused.
    /// </summary>
    public byte[]? Push(ReadOnlySpan<byte> input)
    {
        if (Refusal is not null)
        {
            return null;
        }

        pending.AddRange(input);
        var output = new List<byte>();
        while (TryTakeMessage(out var message, out var pass))
        {
            if (pass)
            {
                output.AddRange(message);
            }
            else
            {
                DroppedMessages++;
            }
        }

        return Refusal is null ? [.. output] : null;
    }

    private bool TryTakeMessage(out byte[] message, out bool pass)
    {
        message = [];
        pass = true;
        var length = stage switch
        {
            Stage.Version => VersionLength,
            Stage.Security or Stage.ClientInit => 1,
            Stage.SecurityResponse => VncAuthenticationResponseLength,
            _ => MessageLength(out pass),
        };
        if (length is null || pending.Count < length)
        {
            return false;
        }

        message = pending.GetRange(0, length.Value).ToArray();
        pending.RemoveRange(0, length.Value);
        stage = stage switch
        {
            Stage.Version => Stage.Security,
            Stage.Security => message[0] == VncAuthentication ? Stage.SecurityResponse : Stage.ClientInit,
            Stage.SecurityResponse => Stage.ClientInit,
            _ => Stage.Messages,
        };
        return true;
    }

    /// <summary>Length of the client message at the head of the buffer, or null until enough of it is there to tell.</summary>
    private int? MessageLength(out bool pass)
    {
        pass = true;
        if (pending.Count == 0)
        {
            return null;
        }

        switch (pending[0])
        {
            case 0: // SetPixelFormat
                return 20;
            case 2: // SetEncodings: type, padding, count (u16), count × s32
                return pending.Count < 4 ? null : 4 + (4 * BinaryPrimitives.ReadUInt16BigEndian(Head(2, 2)));
            case 3: // FramebufferUpdateRequest
                return 10;
            case 4: // KeyEvent
                pass = false;
                return 8;
            case 5: // PointerEvent
                pass = false;
                return 6;
            case 6: // ClientCutText: type, 3 padding, length (s32; negative for the extended clipboard), text
                pass = false;
                return pending.Count < 8 ? null : checked(8 + (int)Math.Abs((long)BinaryPrimitives.ReadInt32BigEndian(Head(4, 4))));
            case 150: // EnableContinuousUpdates
                return 10;
            case 248: // ClientFence: type, 3 padding, flags (u32), length (u8), payload
                return pending.Count < 9 ? null : 9 + pending[8];
            case 251: // SetDesktopSize: type, padding, width, height, screens (u8), padding, screens × 16
                return pending.Count < 8 ? null : 8 + (16 * pending[6]);
            default:
                Refusal = $"unknown VNC client message type {pending[0]}";
                return null;
        }
    }

    private ReadOnlySpan<byte> Head(int offset, int count) => pending.GetRange(offset, count).ToArray();
}
