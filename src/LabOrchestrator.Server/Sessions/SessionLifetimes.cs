using System.Collections.Concurrent;

namespace LabOrchestrator.Server.Sessions;

/// <summary>
/// Tells other parts of the server (the gateway) when a session stops: <see cref="GetStoppingToken"/> returns a token
/// that is cancelled as soon as a stop of the session begins through the API, before its nodes are removed. Asking
/// after the stop returns an already-cancelled token, so a connection opened during a stop closes at once.
/// </summary>
public sealed class SessionLifetimes : IDisposable
{
    private readonly ConcurrentDictionary<string, CancellationTokenSource> sources = new(StringComparer.Ordinal);

    /// <summary>A token cancelled when the session stops; register on it to close the session's connections.</summary>
    public CancellationToken GetStoppingToken(string sessionId) => Source(sessionId).Token;

    /// <summary>Whether a stop of the session has begun in this process.</summary>
    public bool IsStopping(string sessionId) => sources.TryGetValue(sessionId, out var source) && source.IsCancellationRequested;

    /// <summary>Cancels the session's token; callbacks run on the thread pool so a slow listener cannot delay the stop.</summary>
    internal Task NotifyStoppingAsync(string sessionId) => Source(sessionId).CancelAsync();

    public void Dispose()
    {
        foreach (var source in sources.Values)
        {
            source.Dispose();
        }
    }

    private CancellationTokenSource Source(string sessionId) => sources.GetOrAdd(sessionId, _ => new CancellationTokenSource());
}
