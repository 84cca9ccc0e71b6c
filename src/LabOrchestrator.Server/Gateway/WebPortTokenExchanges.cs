using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;

namespace LabOrchestrator.Server.Gateway;

/// <summary>
/// Remembers which access tokens were exchanged for a cookie on which port origin, until they expire: a token in a URL
/// opens a port once, so a URL that leaks later (history, a screenshot, a log) is of no use. Only a hash of the token
/// is kept. The memory is per process: with several replicas a token can be exchanged once on each.
/// </summary>
internal sealed class WebPortTokenExchanges(TimeProvider time)
{
    public const int Capacity = 100_000;
    private readonly ConcurrentDictionary<string, DateTimeOffset> exchanged = new(StringComparer.Ordinal);

    /// <summary>Records the exchange and returns true, or false when this token was exchanged on this origin before (or memory is full).</summary>
    public bool TryExchange(string token, string origin, DateTimeOffset expiresAt)
    {
        if (exchanged.Count >= Capacity / 10)
        {
            var now = time.GetUtcNow();
            foreach (var stale in exchanged.Where(e => e.Value <= now).ToList())
            {
                exchanged.TryRemove(stale.Key, out _);
            }
        }

        if (exchanged.Count >= Capacity)
        {
            return false;
        }

        var key = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(origin + "\n" + token)));
        return exchanged.TryAdd(key, expiresAt);
    }
}
