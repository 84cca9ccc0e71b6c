using System.Collections.Concurrent;

namespace LabOrchestrator.Server.Persist;

/// <summary>One reset per session at a time in this server: a second one while the first runs is refused, not queued.</summary>
internal sealed class ResetGate
{
    private readonly ConcurrentDictionary<string, byte> running = new(StringComparer.Ordinal);

    public bool TryEnter(string sessionId) => running.TryAdd(sessionId, 0);

    public void Exit(string sessionId) => running.TryRemove(sessionId, out _);
}
