using LabOrchestrator.Compilation;
using LabOrchestrator.Engines;
using Microsoft.Extensions.Logging;

namespace LabOrchestrator.Sessions;

/// <summary>Per-learner storage (a node's <c>storage</c> folders): listed and deleted through the engine, by label.</summary>
internal sealed partial class SessionService
{
    public async Task<IReadOnlyList<StoredVolume>> ListStorageAsync(string? userId, CancellationToken cancellationToken = default)
    {
        var selector = StorageSelector(userId);
        return (await ListStorageByEngineAsync(selector, cancellationToken)).Select(v => v.Volume)
            .OrderBy(v => v.User, StringComparer.Ordinal).ThenBy(v => v.Lab, StringComparer.Ordinal).ThenBy(v => v.Node, StringComparer.Ordinal).ThenBy(v => v.Path, StringComparer.Ordinal)
            .ToList();
    }

    private static Dictionary<string, string> StorageSelector(string? userId)
    {
        var selector = new Dictionary<string, string> { [LabLabels.Persistent] = LabLabels.PersistentStorage };
        if (userId is not null)
        {
            selector[LabLabels.User] = PersistentNames.UserLabel(userId);
        }

        return selector;
    }

    /// <summary>Every engine's per-learner volumes that match the selector, with the engine that holds each.</summary>
    private async Task<List<(ILabEngine Engine, StoredVolume Volume)>> ListStorageByEngineAsync(Dictionary<string, string> selector, CancellationToken cancellationToken)
    {
        var all = new List<(ILabEngine, StoredVolume)>();
        foreach (var engine in engines.All)
        {
            all.AddRange((await engine.ListAsync(selector, cancellationToken))
                .Where(r => r.Kind == "volume")
            .Select(r => new StoredVolume(
                r.Name,
                r.Labels.GetValueOrDefault(LabLabels.User, ""),
                r.Labels.GetValueOrDefault(LabLabels.Lab, ""),
                r.Labels.GetValueOrDefault(LabLabels.Node, ""),
                r.Labels.GetValueOrDefault(LabLabels.StoragePath)))
                .Select(v => (engine, v)));
        }

        return all;
    }

    public async Task DeleteStorageAsync(string name, string? userId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        // Only a name that is one of the listed volumes (of this user, unless an admin asks) is ever passed to the engine.
        var selector = StorageSelector(userId);
        var (engine, volume) = (await ListStorageByEngineAsync(selector, cancellationToken)).FirstOrDefault(v => v.Volume.Name == name);
        if (engine is null)
        {
            throw new StoredVolumeNotFoundException(name);
        }

        await engine.DeletePersistentAsync(
            new Dictionary<string, string>
            {
                [LabLabels.Persistent] = LabLabels.PersistentStorage,
                [LabLabels.User] = volume.User,
                [LabLabels.Volume] = volume.Name,
            },
            cancellationToken);
        LogStorageDeleted(name, volume.Lab, volume.Node);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Stored data {Volume} of lab {Lab}, node {Node} deleted")]
    private partial void LogStorageDeleted(string volume, string lab, string node);
}
