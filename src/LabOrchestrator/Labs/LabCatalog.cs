using LabOrchestrator.Persistence;
using Microsoft.EntityFrameworkCore;

namespace LabOrchestrator.Labs;

internal sealed class LabCatalog(IDbContextFactory<LabOrchestratorDbContext> contexts, TimeProvider time) : ILabCatalog
{
    public Task<StoredLab> AddAsync(LabSource source, CancellationToken cancellationToken = default) =>
        SaveAsync(source, LabWrite.Add, cancellationToken);

    public Task<StoredLab> UpdateAsync(LabSource source, CancellationToken cancellationToken = default) =>
        SaveAsync(source, LabWrite.Update, cancellationToken);

    public Task<StoredLab> AddOrUpdateAsync(LabSource source, CancellationToken cancellationToken = default) =>
        SaveAsync(source, LabWrite.AddOrUpdate, cancellationToken);

    public Task<StoredLab> AddOrUpdateAsync(LabSource source, bool publishIfNew, CancellationToken cancellationToken = default) =>
        SaveAsync(source, LabWrite.AddOrUpdate, cancellationToken, publishIfNew);

    public async Task<StoredLab?> SetPublishedAsync(string name, bool published, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var entity = await db.Labs.FirstOrDefaultAsync(l => l.Name == name, cancellationToken);
        if (entity is null)
        {
            return null;
        }

        if (entity.Published != published)
        {
            entity.Published = published;
            entity.UpdatedAt = time.GetUtcNow();
            await db.SaveChangesAsync(cancellationToken);
        }

        return ToStoredLab(entity);
    }

    public async Task<bool> RemoveAsync(string name, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.Labs.Where(l => l.Name == name).ExecuteDeleteAsync(cancellationToken) > 0;
    }

    public async Task<IReadOnlyList<StoredLab>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var labs = await db.Labs.AsNoTracking().OrderBy(l => l.Name).ToListAsync(cancellationToken);
        return labs.Select(ToStoredLab).ToList();
    }

    public async Task<StoredLab?> GetAsync(string name, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var lab = await db.Labs.AsNoTracking().FirstOrDefaultAsync(l => l.Name == name, cancellationToken);
        return lab is null ? null : ToStoredLab(lab);
    }

    private async Task<StoredLab> SaveAsync(LabSource source, LabWrite write, CancellationToken cancellationToken, bool publishIfNew = true)
    {
        // Validate before touching the store: an invalid lab is never written, not even partly.
        var definition = LabParser.Parse(source).GetLabOrThrow();
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var entity = await db.Labs.FirstOrDefaultAsync(l => l.Name == definition.Name, cancellationToken);
        var now = time.GetUtcNow();
        if (entity is null)
        {
            if (write == LabWrite.Update)
            {
                throw new LabNotFoundException(definition.Name);
            }

            entity = new LabEntity { Name = definition.Name, SourceYaml = source.Yaml, SourceFile = source.FileName, CreatedAt = now, Published = publishIfNew };
            db.Labs.Add(entity);
        }
        else if (write == LabWrite.Add)
        {
            throw new LabAlreadyExistsException(definition.Name);
        }

        entity.Title = definition.Title;
        entity.Description = definition.Description;
        entity.Tags = string.Join('\n', definition.Tags);
        entity.SourceYaml = source.Yaml;
        entity.SourceFile = source.FileName;
        entity.SourceDirectory = source.BaseDirectory;
        entity.UpdatedAt = now;
        await db.SaveChangesAsync(cancellationToken);
        return ToStoredLab(entity);
    }

    private static StoredLab ToStoredLab(LabEntity entity) => new()
    {
        // Stored labs were valid when written; parsing again keeps one source of truth (the YAML).
        Definition = LabParser.Parse(new LabSource(entity.SourceYaml, entity.SourceFile, null)).GetLabOrThrow(),
        SourceYaml = entity.SourceYaml,
        SourceFile = entity.SourceFile,
        SourceDirectory = entity.SourceDirectory,
        Published = entity.Published,
        CreatedAt = entity.CreatedAt,
        UpdatedAt = entity.UpdatedAt,
    };

    private enum LabWrite
    {
        Add,
        Update,
        AddOrUpdate,
    }
}
