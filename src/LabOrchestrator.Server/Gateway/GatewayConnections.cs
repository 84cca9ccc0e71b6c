using System.Collections.Concurrent;
using LabOrchestrator.Server.Accounts;
using LabOrchestrator.Server.Sessions;

namespace LabOrchestrator.Server.Gateway;

/// <summary>
/// The open gateway connections per session, so that stopping a session (or the server) can close them. A stop through
/// this server's API closes them at once (<see cref="SessionLifetimes"/>); <see cref="SessionWatchdog"/> catches stops
/// made elsewhere (labctl, another replica) within a second. Ending a user's sign-ins on this replica (logout, new
/// password, disable, delete, a revoked API token) closes the connections they opened at once (<see cref="Revoked"/>);
/// the watchdog catches revocations made on another replica.
/// </summary>
internal sealed class GatewayConnections(SessionLifetimes lifetimes, Observability.LabMetrics metrics, ILogger<GatewayConnections> logger) : ISignInRevocationListener
{
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<GatewayConnection, CancellationTokenRegistration>> bySession = new(StringComparer.Ordinal);

    public IEnumerable<string> Sessions => bySession.Keys;

    public int Count => bySession.Values.Sum(c => c.Count);

    public void Add(GatewayConnection connection)
    {
        connection.Metrics = metrics;
        metrics.ConnectionOpened(connection.Kind);
        var onStop = lifetimes.GetStoppingToken(connection.SessionId).Register(() => connection.RequestClose(GatewayClose.SessionStopped));
        bySession.AddOrUpdate(
            connection.SessionId,
            _ => new ConcurrentDictionary<GatewayConnection, CancellationTokenRegistration> { [connection] = onStop },
            (_, set) =>
            {
                set[connection] = onStop;
                return set;
            });
    }

    public void Remove(GatewayConnection connection)
    {
        if (bySession.TryGetValue(connection.SessionId, out var set))
        {
            if (set.TryRemove(connection, out var onStop))
            {
                onStop.Dispose();
                metrics.ConnectionClosed(connection.Kind);
            }

            if (set.IsEmpty)
            {
                // Only drops the set if nobody added to it meanwhile.
                bySession.TryRemove(new KeyValuePair<string, ConcurrentDictionary<GatewayConnection, CancellationTokenRegistration>>(connection.SessionId, set));
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

    /// <summary>Asks every open connection to one node of a session to close (the node is being reset).</summary>
    public void CloseNode(string sessionId, string node, GatewayClose reason)
    {
        if (bySession.TryGetValue(sessionId, out var set))
        {
            foreach (var connection in set.Keys.Where(c => c.Node == node))
            {
                connection.RequestClose(reason);
            }
        }
    }

    /// <summary>The credentials open connections rest on, each once.</summary>
    public IReadOnlyList<SignIn> Owners => bySession.Values.SelectMany(set => set.Keys).Select(c => c.Owner).Distinct().ToList();

    /// <summary>Asks every connection opened with exactly this credential to close.</summary>
    public void CloseSignIn(SignIn owner, GatewayClose reason) => CloseWhere(c => c.Owner == owner, owner.UserId, reason);

    public void Revoked(string userId, string? apiTokenId) =>
        CloseWhere(
            c => string.Equals(c.Owner.UserId, userId, StringComparison.OrdinalIgnoreCase) && (apiTokenId is null || c.Owner.ApiTokenId == apiTokenId),
            userId,
            GatewayClose.SignInEnded);

    private void CloseWhere(Func<GatewayConnection, bool> match, string userId, GatewayClose reason)
    {
        var matching = bySession.Values.SelectMany(set => set.Keys).Where(match).ToList();
        if (matching.Count > 0)
        {
            GatewayLog.ClosingSignIn(logger, matching.Count, userId, reason.Reason);
            foreach (var connection in matching)
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
