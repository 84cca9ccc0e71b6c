using LabOrchestrator.Persistence;
using Microsoft.EntityFrameworkCore;

namespace LabOrchestrator.Pools;

/// <summary>Administrators' per-lab pool sizes, stored with the lab (deleting the lab deletes its setting).</summary>
public sealed class PoolSettings(IDbContextFactory<LabOrchestratorDbContext> contexts)
{
    /// <summary>Every lab's override; labs without one are absent.</summary>
    public async Task<IReadOnlyDictionary<string, int>> OverridesAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var rows = await db.Labs.AsNoTracking().Where(l => l.PoolSize != null).Select(l => new { l.Name, l.PoolSize }).ToListAsync(cancellationToken);
        return rows.ToDictionary(r => r.Name, r => r.PoolSize!.Value, StringComparer.Ordinal);
    }

    /// <summary>Sets (or with null clears) a lab's override; false when there is no such lab.</summary>
    public async Task<bool> SetAsync(string labName, int? size, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.Labs.Where(l => l.Name == labName).ExecuteUpdateAsync(u => u.SetProperty(l => l.PoolSize, size), cancellationToken) == 1;
    }
}
