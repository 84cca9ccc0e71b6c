using System.Collections.Concurrent;
using LabOrchestrator.Labs;

namespace LabOrchestrator.Sessions;

/// <summary>
/// The limits of each session's lab file, parsed once: the file stored with a session never changes, and parsing it on
/// every read (lists of hundreds, the reaper's ticks) would cost far more than the few bytes kept here.
/// </summary>
internal static class SessionLimitsCache
{
    private const int MaxEntries = 50_000;
    private static readonly ConcurrentDictionary<string, LimitsDefinition> Cache = new(StringComparer.Ordinal);

    public static LimitsDefinition Get(string sessionId, string labYaml)
    {
        if (Cache.TryGetValue(sessionId, out var limits))
        {
            return limits;
        }

        var parsed = LabParser.Parse(new LabSource(labYaml, $"{LabSource.DefaultFileName}", null));
        limits = parsed.Lab?.Limits ?? new LimitsDefinition();
        if (Cache.Count >= MaxEntries)
        {
            Cache.Clear();
        }

        Cache[sessionId] = limits;
        return limits;
    }
}
