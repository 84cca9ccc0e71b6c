using System.Collections.Concurrent;
using LabOrchestrator.Engines;

namespace LabOrchestrator.Pools;

/// <summary>
/// Terminals opened ahead of the learner: when a session becomes Running (and, for a pool session, again at its claim
/// when it has none), so that the learner's first terminal does not wait for an exec to start. One is handed out once,
/// to the first login-shell terminal opened on its node with the same user — the same shell a fresh open would start,
/// never touched before. One not taken within <see cref="Lifetime"/>, or whose session stops, pauses or resets first,
/// is closed; a pool session's waits without a limit until its claim, which gives it <see cref="Lifetime"/> from then.
/// </summary>
internal sealed class PreparedTerminals(TimeProvider time) : IAsyncDisposable
{
    /// <summary>How long a prepared terminal waits for its learner; a browser opens it within a second of Running or the claim.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(1);

    private readonly ConcurrentDictionary<(string Session, string Node), Prepared> terminals = new();

    /// <summary>Keeps <paramref name="opening"/> for the node's first terminal; <paramref name="waitForClaim"/> keeps it until <see cref="Renew"/>.</summary>
    public void Add(string sessionId, string node, string? user, Task<ITerminalStream> opening, bool waitForClaim = false)
    {
        var key = (sessionId, node);
        var prepared = new Prepared(opening, user);
        if (!waitForClaim)
        {
            prepared.Expiry = time.CreateTimer(_ => _ = DiscardAsync(key, prepared), null, Lifetime, Timeout.InfiniteTimeSpan);
        }

        if (!terminals.TryAdd(key, prepared))
        {
            _ = CloseAsync(prepared);
        }
    }

    /// <summary>The session was claimed: its prepared terminals wait <see cref="Lifetime"/> from now. False when it has none.</summary>
    public bool Renew(string sessionId)
    {
        var renewed = false;
        foreach (var (key, prepared) in terminals.Where(t => t.Key.Session == sessionId).ToList())
        {
            prepared.Expiry?.Dispose();
            prepared.Expiry = time.CreateTimer(_ => _ = DiscardAsync(key, prepared), null, Lifetime, Timeout.InfiniteTimeSpan);
            renewed = true;
        }

        return renewed;
    }

    /// <summary>The prepared terminal for a login shell on this node as <paramref name="options"/>' user, taken out; null when there is none.</summary>
    public Task<ITerminalStream>? Take(string sessionId, string node, TerminalOptions options)
    {
        var key = (sessionId, node);
        if (options.Command.Count > 0 || !terminals.TryGetValue(key, out var prepared) || prepared.User != options.User
            || !terminals.TryRemove(KeyValuePair.Create(key, prepared)))
        {
            return null;
        }

        prepared.Expiry?.Dispose();
        return prepared.Opening;
    }

    /// <summary>Closes the session's prepared terminals (it stops, pauses or resets: its shells may be gone).</summary>
    public async Task DiscardAsync(string sessionId)
    {
        foreach (var (key, prepared) in terminals.Where(t => t.Key.Session == sessionId).ToList())
        {
            await DiscardAsync(key, prepared);
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var (key, prepared) in terminals.ToList())
        {
            await DiscardAsync(key, prepared);
        }
    }

    private async Task DiscardAsync((string, string) key, Prepared prepared)
    {
        if (terminals.TryRemove(KeyValuePair.Create(key, prepared)))
        {
            await CloseAsync(prepared);
        }
    }

    private static async Task CloseAsync(Prepared prepared)
    {
        prepared.Expiry?.Dispose();
        ITerminalStream terminal;
        try
        {
            terminal = await prepared.Opening;
        }
#pragma warning disable CA1031 // A terminal that failed to open has nothing to close; its failure was the opener's to report.
        catch (Exception)
#pragma warning restore CA1031
        {
            return;
        }

        await terminal.DisposeAsync();
    }

    private sealed class Prepared(Task<ITerminalStream> opening, string? user)
    {
        public Task<ITerminalStream> Opening { get; } = opening;
        public string? User { get; } = user;
        public ITimer? Expiry { get; set; }
    }
}
