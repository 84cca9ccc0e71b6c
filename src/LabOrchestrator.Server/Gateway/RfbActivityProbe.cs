namespace LabOrchestrator.Server.Gateway;

/// <summary>
/// Tells real desktop input (key and pointer events, clipboard) from the requests a VNC client sends on its own (screen
/// updates), so that an open but unused desktop does not keep a session from its idle timeout. It reads the client's
/// stream with <see cref="RfbInputFilter"/>; a stream the filter cannot read counts as input from then on, so that a
/// client speaking an extension it does not know is never culled for idleness.
/// </summary>
internal sealed class RfbActivityProbe
{
    private readonly RfbInputFilter reader = new();
    private bool unreadable;

    public bool IsInput(ReadOnlySpan<byte> fromClient)
    {
        if (unreadable)
        {
            return fromClient.Length > 0;
        }

        var before = reader.DroppedMessages;
        if (reader.Push(fromClient) is null)
        {
            unreadable = true;
            return true;
        }

        return reader.DroppedMessages > before;
    }
}
