using LabOrchestrator.Server.Gateway;

namespace LabOrchestrator.Server.Tests.Gateway;

/// <summary>What a watcher's VNC client may send through the gateway: everything but input.</summary>
public sealed class RfbInputFilterTests
{
    private static readonly byte[] Handshake = [.. "RFB 003.008\n"u8, 1 /* security: None */, 1 /* ClientInit: shared */];
    private static readonly byte[] SetPixelFormat = [0, 0, 0, 0, 32, 24, 0, 1, 0, 255, 0, 255, 0, 255, 16, 8, 0, 0, 0, 0];
    private static readonly byte[] SetEncodings = [2, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 7];
    private static readonly byte[] UpdateRequest = [3, 1, 0, 0, 0, 0, 5, 0, 3, 32];
    private static readonly byte[] KeyEvent = [4, 1, 0, 0, 0, 0, 0, 0x61];
    private static readonly byte[] PointerEvent = [5, 1, 0, 10, 0, 20];
    private static readonly byte[] CutText = [6, 0, 0, 0, 0, 0, 0, 3, (byte)'a', (byte)'b', (byte)'c'];

    [Fact]
    public void Push_PassesHandshakeAndViewingMessages_DropsKeysPointerAndClipboard()
    {
        var filter = new RfbInputFilter();
        byte[] stream = [.. Handshake, .. SetPixelFormat, .. KeyEvent, .. SetEncodings, .. PointerEvent, .. CutText, .. UpdateRequest];

        var passed = filter.Push(stream);

        Assert.Equal([.. Handshake, .. SetPixelFormat, .. SetEncodings, .. UpdateRequest], passed!);
        Assert.Null(filter.Refusal);
    }

    [Fact]
    public void Push_ByteByByte_GivesTheSameStreamAsAllAtOnce()
    {
        var filter = new RfbInputFilter();
        byte[] stream = [.. Handshake, .. SetEncodings, .. KeyEvent, .. CutText, .. UpdateRequest];

        var passed = stream.SelectMany(b => filter.Push([b])!).ToArray();

        Assert.Equal([.. Handshake, .. SetEncodings, .. UpdateRequest], passed);
    }

    [Fact]
    public void Push_VncAuthentication_PassesTheChallengeResponse()
    {
        var filter = new RfbInputFilter();
        byte[] stream = [.. "RFB 003.008\n"u8, 2, .. new byte[16], 1, .. UpdateRequest];

        Assert.Equal(stream, filter.Push(stream)!);
    }

    [Fact]
    public void Push_UnknownMessageType_RefusesTheStream()
    {
        var filter = new RfbInputFilter();

        Assert.Null(filter.Push([.. Handshake, 99, 0, 0]));
        Assert.Contains("99", filter.Refusal, StringComparison.Ordinal);
        Assert.Null(filter.Push(UpdateRequest));
    }
}
