using LabOrchestrator.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace LabOrchestrator.Persistence;

/// <summary>Creates the database or brings its schema up to date.</summary>
public sealed class LabOrchestratorDatabase(IDbContextFactory<LabOrchestratorDbContext> contexts, IOptions<LabOrchestratorOptions> options)
{
    public async Task MigrateAsync(CancellationToken cancellationToken = default)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(options.Value.DatabasePath));
        if (!string.IsNullOrEmpty(folder))
        {
            Directory.CreateDirectory(folder);
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await db.Database.MigrateAsync(cancellationToken);
    }
}
