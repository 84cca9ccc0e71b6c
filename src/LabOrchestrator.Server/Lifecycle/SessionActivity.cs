using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace LabOrchestrator.Server.Lifecycle;

/// <summary>
/// The last real learner activity of each session — terminal and desktop input through the gateway, check runs and
/// workspace API calls — in memory, since it changes on every keystroke. <see cref="TakeDue"/> hands the reaper what to
/// write to the database, at most once per <see cref="LifecycleOptions.ActivityFlushInterval"/> per session, so that a
/// restart loses at most that much.
/// </summary>
internal sealed class SessionActivity(TimeProvider time, IOptions<LifecycleOptions> options)
{
    private readonly ConcurrentDictionary<string, Entry> entries = new(StringComparer.Ordinal);

    /// <summary>Notes activity in the session now. Cheap: called for every chunk of keystrokes.</summary>
    public void Record(string sessionId)
    {
        var now = time.GetUtcNow();
        entries.AddOrUpdate(sessionId, _ => new Entry(now, null), (_, e) => e with { Last = now });
    }

    /// <summary>The last activity seen by this process, or null.</summary>
    public DateTimeOffset? Last(string sessionId) => entries.TryGetValue(sessionId, out var e) ? e.Last : null;

    /// <summary>Activity not yet written whose session was last written at least the flush interval ago; marks it written.</summary>
    public IReadOnlyDictionary<string, DateTimeOffset> TakeDue()
    {
        var now = time.GetUtcNow();
        var due = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        foreach (var (id, entry) in entries)
        {
            if (entry.Flushed != entry.Last && (entry.FlushedAt is not { } at || now - at >= options.Value.ActivityFlushInterval)
                && entries.TryUpdate(id, entry with { Flushed = entry.Last, FlushedAt = now }, entry))
            {
                due[id] = entry.Last;
            }
        }

        return due;
    }

    /// <summary>Forgets a stopped session.</summary>
    public void Forget(string sessionId) => entries.TryRemove(sessionId, out _);

    private sealed record Entry(DateTimeOffset Last, DateTimeOffset? Flushed, DateTimeOffset? FlushedAt = null);
}
