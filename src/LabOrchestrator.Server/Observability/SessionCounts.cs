using LabOrchestrator.Persistence;
using LabOrchestrator.Sessions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace LabOrchestrator.Server.Observability;

/// <summary>
/// How many sessions each lab has in each state, as last read from the database. A scrape refreshes it first when it is
/// older than <see cref="MetricsOptions.SessionCountsMaxAge"/>: one grouped query per refresh, however many series and
/// scrapers there are. Sessions changed by labctl or another replica show up on the next refresh.
/// </summary>
internal sealed class SessionCounts(IDbContextFactory<LabOrchestratorDbContext> contexts, TimeProvider time, IOptions<MetricsOptions> options)
{
    private readonly SemaphoreSlim refreshing = new(1, 1);
    private DateTimeOffset? refreshedAt;

    public IReadOnlyList<SessionCount> Current { get; private set; } = [];

    /// <summary>How many refreshes queried the database (for tests of the cache).</summary>
    public int Queries { get; private set; }

    public async Task RefreshIfStaleAsync(CancellationToken cancellationToken)
    {
        if (!IsStale())
        {
            return;
        }

        await refreshing.WaitAsync(cancellationToken);
        try
        {
            if (!IsStale())
            {
                return;
            }

            await using var db = await contexts.CreateDbContextAsync(cancellationToken);
            var rows = await db.Sessions
                .GroupBy(s => new { s.LabName, s.State })
                .Select(g => new { g.Key.LabName, g.Key.State, Count = g.LongCount() })
                .ToListAsync(cancellationToken);
            // Every state of every lab that has sessions, zeros included, so a series drops to 0 instead of vanishing.
            Current = rows.Select(r => r.LabName).Distinct(StringComparer.Ordinal)
                .SelectMany(lab => Enum.GetValues<SessionState>().Select(state =>
                    new SessionCount(lab, state, rows.Where(r => r.LabName == lab && r.State == state).Sum(r => r.Count))))
                .ToList();
            Queries++;
            refreshedAt = time.GetUtcNow();
        }
        finally
        {
            refreshing.Release();
        }
    }

    private bool IsStale() => refreshedAt is not { } at || time.GetUtcNow() - at >= options.Value.SessionCountsMaxAge;
}
