using System.Collections.Concurrent;
using LabOrchestrator.Guides;
using LabOrchestrator.Labs;
using LabOrchestrator.Sessions;

namespace LabOrchestrator.Server.Guides;

/// <summary>A lab's guide folder and the guide loaded from it; <see cref="Guide"/> is null when the guide does not load.</summary>
internal sealed record LabGuide(string Folder, Guide? Guide);

/// <summary>
/// Finds and loads the guides of sessions. A session reads the guide kept with it when it was created
/// (<see cref="GuideSnapshots"/>), so re-importing or deleting its lab never changes it; sessions older than snapshots
/// (or of a guide too big to keep) read their lab's folder. Loaded guides are kept (by snapshot, or until the lab is
/// imported again), so that lists of sessions can show progress without reading every guide from disk.
/// </summary>
internal sealed class SessionGuides(ILabCatalog catalog, IGuideProgressStore progress, GuideSnapshots snapshots, ISessionService sessions)
{
    private sealed record Entry(DateTimeOffset UpdatedAt, string? SourceDirectory, LabGuide? Guide);

    private static readonly IReadOnlySet<string> NoSteps = new HashSet<string>();

    private readonly ConcurrentDictionary<string, Entry> cache = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, LabGuide?> snapshotted = new(StringComparer.Ordinal);

    /// <summary>The session's guide, or null when it has none (or its lab is gone and nothing was kept).</summary>
    public async Task<LabGuide?> FindAsync(Session session, CancellationToken cancellationToken)
    {
        if (session.GuideHash is not { } hash)
        {
            return await FindInCatalogueAsync(session.LabName, cancellationToken);
        }

        if (snapshotted.TryGetValue(hash, out var known))
        {
            return known;
        }

        var folder = await snapshots.FolderAsync(hash, cancellationToken);
        var lab = await sessions.GetLabSnapshotAsync(session.Id, cancellationToken);
        if (folder is null || lab is null)
        {
            return null;
        }

        // Checks name nodes; a guide snapshot is shared by sessions of one lab version, whose nodes are the same.
        var result = GuideLoader.Load(folder, lab.Nodes.Select(n => n.Name).ToList());
        var guide = new LabGuide(folder, result.IsValid ? result.Guide : null);
        snapshotted[hash] = guide;
        return guide;
    }

    /// <summary>The guide of the session's lab; a problem (404) when there is none or it does not load.</summary>
    public async Task<Guide> RequireAsync(Session session, CancellationToken cancellationToken)
    {
        var found = await FindAsync(session, cancellationToken) ?? throw GuideProblems.NoGuide(session.LabName);
        return found.Guide ?? throw GuideProblems.InvalidGuide(session.LabName);
    }

    /// <summary>The folder of the session's lab guide; a problem (404) when there is none.</summary>
    public async Task<string> RequireFolderAsync(Session session, CancellationToken cancellationToken)
    {
        var found = await FindAsync(session, cancellationToken) ?? throw GuideProblems.NoGuide(session.LabName);
        return found.Folder;
    }

    /// <summary>Done and total steps of each session whose guide loads.</summary>
    public async Task<IReadOnlyDictionary<string, ProgressSummary>> SummariesAsync(IReadOnlyCollection<Session> list, CancellationToken cancellationToken)
    {
        var guides = new Dictionary<string, Guide>(StringComparer.Ordinal);
        foreach (var session in list)
        {
            if ((await FindAsync(session, cancellationToken))?.Guide is { } guide)
            {
                guides[session.Id] = guide;
            }
        }

        var withGuide = list.Where(s => guides.ContainsKey(s.Id)).ToList();
        var done = await progress.GetDoneStepsAsync(withGuide.Select(s => s.Id).ToList(), cancellationToken);
        return withGuide.ToDictionary(s => s.Id, s => ProgressSummary.Of(guides[s.Id].Steps, done.GetValueOrDefault(s.Id) ?? NoSteps));
    }

    private async Task<LabGuide?> FindInCatalogueAsync(string labName, CancellationToken cancellationToken)
    {
        var lab = await catalog.GetAsync(labName, cancellationToken);
        if (lab is null)
        {
            cache.TryRemove(labName, out _);
            return null;
        }

        if (cache.TryGetValue(labName, out var cached) && cached.UpdatedAt == lab.UpdatedAt && cached.SourceDirectory == lab.SourceDirectory)
        {
            return cached.Guide;
        }

        var guide = Load(lab);
        cache[labName] = new Entry(lab.UpdatedAt, lab.SourceDirectory, guide);
        return guide;
    }

    private static LabGuide? Load(StoredLab lab)
    {
        if (lab.Definition.Guide is not { Length: > 0 } path || lab.SourceDirectory is null)
        {
            return null;
        }

        var folder = Path.Combine(lab.SourceDirectory, path);
        if (!Directory.Exists(folder))
        {
            return null;
        }

        var result = GuideLoader.Load(folder, lab.Definition.Nodes.Select(n => n.Name).ToList());
        return new LabGuide(folder, result.IsValid ? result.Guide : null);
    }
}
