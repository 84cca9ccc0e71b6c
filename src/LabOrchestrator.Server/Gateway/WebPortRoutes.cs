using System.Collections.Concurrent;
using LabOrchestrator.Server.Sessions;
using LabOrchestrator.Sessions;

namespace LabOrchestrator.Server.Gateway;

/// <summary>A running session's web port: the session and node it belongs to (for authorisation and the engine's stream).</summary>
internal sealed record WebPortRoute(Session Session, string Node);

/// <summary>
/// Remembers resolved web-port routes for a second, so that a page's burst of requests does not read the session and the
/// lab again for each one. A stop through the API drops a session's routes at once;
/// a stop made elsewhere is noticed within the second, like the gateway's watchdog.
/// </summary>
internal sealed class WebPortRoutes(SessionLifetimes lifetimes, TimeProvider time)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(1);

    private readonly ConcurrentDictionary<(string Session, string Node, int Port), (WebPortRoute Route, long At)> routes = new();

    /// <summary>A remembered route; <paramref name="node"/> is the node's part of the port origin's host name.</summary>
    public WebPortRoute? TryGet(string sessionId, string node, int port)
    {
        var key = (sessionId, node, port);
        if (!routes.TryGetValue(key, out var entry))
        {
            return null;
        }

        if (lifetimes.IsStopping(sessionId) || time.GetElapsedTime(entry.At) >= Lifetime)
        {
            routes.TryRemove(key, out _);
            return null;
        }

        return entry.Route;
    }

    public void Remember(string node, int port, WebPortRoute route)
    {
        if (routes.Count > 10_000)
        {
            // Bounded: stale entries of ended sessions go in one sweep.
            foreach (var stale in routes.Where(r => time.GetElapsedTime(r.Value.At) >= Lifetime).ToList())
            {
                routes.TryRemove(stale.Key, out _);
            }
        }

        routes[(route.Session.Id, node, port)] = (route, time.GetTimestamp());
    }

    public void Forget(string sessionId, string node, int port) => routes.TryRemove((sessionId, node, port), out _);
}
