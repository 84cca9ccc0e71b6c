using System.Collections.Concurrent;
using LabOrchestrator.Guides;
using LabOrchestrator.Labs;
using LabOrchestrator.Sessions;

namespace LabOrchestrator.Server.Guides;

/// <summary>A lab's guide folder and the guide loaded from it; <see cref="Guide"/> is null when the guide does not load.</summary>
internal sealed record LabGuide(string Folder, Guide? Guide);

/// <summary>
/// Finds and loads the guides of labs, keeping each loaded guide until its lab is imported again, so that lists of
/// sessions can show progress without reading every guide from disk.
/// </summary>
internal sealed class SessionGuides(ILabCatalog catalog, IGuideProgressStore progress)
{
    private sealed record Entry(DateTimeOffset UpdatedAt, string? SourceDirectory, LabGuide? Guide);

    private static readonly IReadOnlySet<string> NoSteps = new HashSet<string>();

    private readonly ConcurrentDictionary<string, Entry> cache = new(StringComparer.Ordinal);

    /// <summary>The lab's guide, or null when the lab is gone or has none.</summary>
    public async Task<LabGuide?> FindAsync(string labName, CancellationToken cancellationToken)
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

    /// <summary>The guide of the session's lab; a problem (404) when there is none or it does not load.</summary>
    public async Task<Guide> RequireAsync(Session session, CancellationToken cancellationToken)
    {
        var found = await FindAsync(session.LabName, cancellationToken) ?? throw GuideProblems.NoGuide(session.LabName);
        return found.Guide ?? throw GuideProblems.InvalidGuide(session.LabName);
    }

    /// <summary>The folder of the session's lab guide; a problem (404) when there is none.</summary>
    public async Task<string> RequireFolderAsync(Session session, CancellationToken cancellationToken)
    {
        var found = await FindAsync(session.LabName, cancellationToken) ?? throw GuideProblems.NoGuide(session.LabName);
        return found.Folder;
    }

    /// <summary>Done and total steps of each session whose lab has a guide that loads.</summary>
    public async Task<IReadOnlyDictionary<string, ProgressSummary>> SummariesAsync(IReadOnlyCollection<Session> sessions, CancellationToken cancellationToken)
    {
        var guides = new Dictionary<string, Guide>(StringComparer.Ordinal);
        foreach (var labName in sessions.Select(s => s.LabName).Distinct(StringComparer.Ordinal))
        {
            if ((await FindAsync(labName, cancellationToken))?.Guide is { } guide)
            {
                guides[labName] = guide;
            }
        }

        var withGuide = sessions.Where(s => guides.ContainsKey(s.LabName)).ToList();
        var done = await progress.GetDoneStepsAsync(withGuide.Select(s => s.Id).ToList(), cancellationToken);
        return withGuide.ToDictionary(s => s.Id, s => ProgressSummary.Of(guides[s.LabName].Steps, done.GetValueOrDefault(s.Id) ?? NoSteps));
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
