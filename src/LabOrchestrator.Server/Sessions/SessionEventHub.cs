using System.Threading.Channels;
using LabOrchestrator.Sessions;

namespace LabOrchestrator.Server.Sessions;

/// <summary>
/// In-process broadcast of session changes: the background runner and the stop endpoint publish every state or node
/// change; event streams subscribe per session. Nothing is kept for sessions nobody follows.
/// </summary>
internal sealed class SessionEventHub
{
    private readonly Lock gate = new();
    private readonly Dictionary<string, List<Channel<Session>>> subscribers = new(StringComparer.Ordinal);

    public void Publish(Session session)
    {
        lock (gate)
        {
            if (subscribers.TryGetValue(session.Id, out var channels))
            {
                foreach (var channel in channels)
                {
                    channel.Writer.TryWrite(session);
                }
            }
        }
    }

    public Subscription Subscribe(string sessionId)
    {
        var channel = Channel.CreateUnbounded<Session>(new UnboundedChannelOptions { SingleReader = true });
        lock (gate)
        {
            if (!subscribers.TryGetValue(sessionId, out var channels))
            {
                subscribers[sessionId] = channels = [];
            }

            channels.Add(channel);
        }

        return new Subscription(this, sessionId, channel);
    }

    private void Unsubscribe(string sessionId, Channel<Session> channel)
    {
        lock (gate)
        {
            if (subscribers.TryGetValue(sessionId, out var channels) && channels.Remove(channel) && channels.Count == 0)
            {
                subscribers.Remove(sessionId);
            }
        }
    }

    /// <summary>Changes of one session, in the order they were published, until disposed.</summary>
    public sealed class Subscription(SessionEventHub hub, string sessionId, Channel<Session> channel) : IDisposable
    {
        public ChannelReader<Session> Reader => channel.Reader;

        public void Dispose()
        {
            hub.Unsubscribe(sessionId, channel);
            channel.Writer.TryComplete();
        }
    }
}
