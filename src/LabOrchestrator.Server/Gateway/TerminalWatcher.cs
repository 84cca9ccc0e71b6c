using System.Buffers;
using System.Net.WebSockets;
using System.Threading.Channels;

namespace LabOrchestrator.Server.Gateway;

/// <summary>
/// A watch-only connection's queue of frames to send. The owner's output pump only copies into it and never waits for a
/// watcher; a watcher that falls <see cref="Capacity"/> frames behind is closed instead of slowing the learner down.
/// </summary>
internal sealed class TerminalWatcher(GatewayConnection connection)
{
    private const int Capacity = 512;

    private readonly Channel<Frame> frames = Channel.CreateBounded<Frame>(new BoundedChannelOptions(Capacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });

    public GatewayConnection Connection { get; } = connection;

    public ChannelReader<Frame> Frames => frames.Reader;

    public void PostOutput(ReadOnlySpan<byte> output)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(output.Length);
        output.CopyTo(buffer);
        if (!frames.Writer.TryWrite(new Frame(buffer, output.Length, WebSocketMessageType.Binary, Rented: true)))
        {
            ArrayPool<byte>.Shared.Return(buffer);
            Connection.RequestClose(GatewayClose.WatcherTooSlow);
        }
    }

    public void PostControl(byte[] json)
    {
        if (!frames.Writer.TryWrite(new Frame(json, json.Length, WebSocketMessageType.Text, Rented: false)))
        {
            Connection.RequestClose(GatewayClose.WatcherTooSlow);
        }
    }

    /// <summary>Stops taking frames and gives back the buffers of those never sent.</summary>
    public void Complete()
    {
        frames.Writer.TryComplete();
        while (frames.Reader.TryRead(out var frame))
        {
            frame.Release();
        }
    }

    internal readonly record struct Frame(byte[] Buffer, int Length, WebSocketMessageType Type, bool Rented)
    {
        public void Release()
        {
            if (Rented)
            {
                ArrayPool<byte>.Shared.Return(Buffer);
            }
        }
    }
}
