using System.Collections.Concurrent;
using LabOrchestrator.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LabOrchestrator.Labs;

/// <summary>
/// Labs in the database. Each stored version of a lab is parsed once and the result kept (keyed by its text), so
/// listing labs does not re-read every lab file; a stored lab that now fails validation is kept out, not thrown.
/// </summary>
internal sealed partial class LabCatalog(
    IDbContextFactory<LabOrchestratorDbContext> contexts, TimeProvider time, IOptions<LabPolicyOptions> policy, ILogger<LabCatalog> logger) : ILabCatalog
{
    private sealed record Parsed(string SourceFile, string SourceYaml, LabParseResult Result);

    private readonly ConcurrentDictionary<string, Parsed> parsed = new(StringComparer.Ordinal);

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

        return TryToStoredLab(entity);
    }

    public async Task<bool> RemoveAsync(string name, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        parsed.TryRemove(name, out _);
        return await db.Labs.Where(l => l.Name == name).ExecuteDeleteAsync(cancellationToken) > 0;
    }

    public async Task<IReadOnlyList<StoredLab>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var labs = await db.Labs.AsNoTracking().OrderBy(l => l.Name).ToListAsync(cancellationToken);
        Forget(labs);
        return labs.Select(TryToStoredLab).OfType<StoredLab>().ToList();
    }

    public async Task<IReadOnlyList<BrokenLab>> ListBrokenAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var labs = await db.Labs.AsNoTracking().OrderBy(l => l.Name).ToListAsync(cancellationToken);
        Forget(labs);
        return labs.Select(l => (Lab: l, Result: Parse(l)))
            .Where(p => !p.Result.IsValid)
            .Select(p => new BrokenLab(p.Lab.Name, p.Lab.SourceFile, p.Lab.UpdatedAt, p.Result.Diagnostics))
            .ToList();
    }

    public async Task<StoredLab?> GetAsync(string name, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var lab = await db.Labs.AsNoTracking().FirstOrDefaultAsync(l => l.Name == name, cancellationToken);
        return lab is null ? null : TryToStoredLab(lab);
    }

    private async Task<StoredLab> SaveAsync(LabSource source, LabWrite write, CancellationToken cancellationToken, bool publishIfNew = true)
    {
        // Validate before touching the store, guide included: an invalid lab is never written, not even partly.
        var definition = LabValidator.Validate(source, policy.Value, cancellationToken).GetLabOrThrow();
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
        return ToStoredLab(entity, definition);
    }

    /// <summary>The lab, or null (logged, and listed by <see cref="ListBrokenAsync"/>) when it no longer passes validation.</summary>
    private StoredLab? TryToStoredLab(LabEntity entity) =>
        Parse(entity) is { IsValid: true } result ? ToStoredLab(entity, result.Lab!) : null;

    /// <summary>
    /// The stored YAML, parsed once per version: the text is the one source of truth, and comparing it with the
    /// cached copy (an ordinal compare of at most the file size limit) is far cheaper than parsing it again.
    /// </summary>
    private LabParseResult Parse(LabEntity entity)
    {
        if (parsed.TryGetValue(entity.Name, out var cached) && cached.SourceYaml == entity.SourceYaml && cached.SourceFile == entity.SourceFile)
        {
            return cached.Result;
        }

        var result = LabParser.Parse(new LabSource(entity.SourceYaml, entity.SourceFile, null), policy.Value);
        if (!result.IsValid)
        {
            LogBroken(entity.Name, result.Diagnostics.Count, result.Diagnostics.FirstOrDefault()?.ToString() ?? "");
        }

        parsed[entity.Name] = new Parsed(entity.SourceFile, entity.SourceYaml, result);
        return result;
    }

    private void Forget(IReadOnlyCollection<LabEntity> stored)
    {
        var names = stored.Select(l => l.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var name in parsed.Keys.Where(n => !names.Contains(n)))
        {
            parsed.TryRemove(name, out _);
        }
    }

    private static StoredLab ToStoredLab(LabEntity entity, LabDefinition definition) => new()
    {
        Definition = definition,
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "Stored lab {Lab} no longer passes validation and is not loaded ({Count} problem(s), first: {First}); fix or delete it")]
    private partial void LogBroken(string lab, int count, string first);
}
