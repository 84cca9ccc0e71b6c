using System.Collections.Concurrent;

namespace LabOrchestrator.Server.Gateway;

/// <summary>The open gateway connections per session, so that stopping a session (or the server) can close them.</summary>
internal sealed class GatewayConnections(ILogger<GatewayConnections> logger)
{
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<GatewayConnection, byte>> bySession = new(StringComparer.Ordinal);

    public IEnumerable<string> Sessions => bySession.Keys;

    public int Count => bySession.Values.Sum(c => c.Count);

    public void Add(GatewayConnection connection) =>
        bySession.AddOrUpdate(
            connection.SessionId,
            _ => new ConcurrentDictionary<GatewayConnection, byte> { [connection] = 0 },
            (_, set) =>
            {
                set[connection] = 0;
                return set;
            });

    public void Remove(GatewayConnection connection)
    {
        if (bySession.TryGetValue(connection.SessionId, out var set))
        {
            set.TryRemove(connection, out _);
            if (set.IsEmpty)
            {
                // Only drops the set if nobody added to it meanwhile.
                bySession.TryRemove(new KeyValuePair<string, ConcurrentDictionary<GatewayConnection, byte>>(connection.SessionId, set));
                if (!set.IsEmpty)
                {
                    bySession.TryAdd(connection.SessionId, set);
                }
            }
        }
    }

    /// <summary>Asks every open connection of a session to close; call it when the session stops.</summary>
    public void CloseSession(string sessionId, GatewayClose reason)
    {
        if (bySession.TryGetValue(sessionId, out var set) && !set.IsEmpty)
        {
            GatewayLog.ClosingSession(logger, set.Count, sessionId, reason.Reason);
            foreach (var connection in set.Keys)
            {
                connection.RequestClose(reason);
            }
        }
    }

    public void CloseAll(GatewayClose reason)
    {
        foreach (var sessionId in bySession.Keys)
        {
            CloseSession(sessionId, reason);
        }
    }
}
