using LabOrchestrator.Persistence;
using Microsoft.EntityFrameworkCore;

namespace LabOrchestrator.Sessions;

/// <summary>The id of this database, made on first use and kept in it; labels engine objects (<see cref="Engines.LabLabels.Instance"/>).</summary>
internal sealed class InstanceIdentity(IDbContextFactory<LabOrchestratorDbContext> contexts)
{
    private readonly SemaphoreSlim gate = new(1, 1);
    private string? id;

    public async Task<string> GetAsync(CancellationToken cancellationToken)
    {
        if (id is { } known)
        {
            return known;
        }

        await gate.WaitAsync(cancellationToken);
        try
        {
            return id ??= await LoadOrCreateAsync(cancellationToken);
        }
        finally
        {
            gate.Release();
        }
    }

    private async Task<string> LoadOrCreateAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        if (await db.Instance.FirstOrDefaultAsync(cancellationToken) is { } row)
        {
            return row.Id;
        }

        db.Instance.Add(new InstanceEntity { Id = SessionIds.New() });
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // Another process (labctl beside the server) made it first: theirs is the id.
        }

        await using var again = await contexts.CreateDbContextAsync(cancellationToken);
        return (await again.Instance.FirstAsync(cancellationToken)).Id;
    }
}
