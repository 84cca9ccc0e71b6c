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
    private readonly Dictionary<string, List<Channel<SessionHubEvent>>> subscribers = new(StringComparer.Ordinal);

    public void Publish(Session session) => Publish(session.Id, new SessionHubEvent(session, null));

    /// <summary>Tells the session's followers that it will soon stop (or, cancelled, that it no longer will).</summary>
    public void PublishWarning(string sessionId, Lifecycle.SessionWarning warning) => Publish(sessionId, new SessionHubEvent(null, warning));

    private void Publish(string sessionId, SessionHubEvent item)
    {
        lock (gate)
        {
            if (subscribers.TryGetValue(sessionId, out var channels))
            {
                foreach (var channel in channels)
                {
                    channel.Writer.TryWrite(item);
                }
            }
        }
    }

    public Subscription Subscribe(string sessionId)
    {
        var channel = Channel.CreateUnbounded<SessionHubEvent>(new UnboundedChannelOptions { SingleReader = true });
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

    private void Unsubscribe(string sessionId, Channel<SessionHubEvent> channel)
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
    public sealed class Subscription(SessionEventHub hub, string sessionId, Channel<SessionHubEvent> channel) : IDisposable
    {
        public ChannelReader<SessionHubEvent> Reader => channel.Reader;

        public void Dispose()
        {
            hub.Unsubscribe(sessionId, channel);
            channel.Writer.TryComplete();
        }
    }
}
