using LabOrchestrator.Compilation;
using LabOrchestrator.Engines;
using Microsoft.Extensions.Logging;

namespace LabOrchestrator.Sessions;

/// <summary>Per-learner storage (a node's <c>storage</c> folders): listed and deleted through the engine, by label.</summary>
internal sealed partial class SessionService
{
    public async Task<IReadOnlyList<StoredVolume>> ListStorageAsync(string? userId, CancellationToken cancellationToken = default)
    {
        var selector = new Dictionary<string, string> { [LabLabels.Persistent] = LabLabels.PersistentStorage };
        if (userId is not null)
        {
            selector[LabLabels.User] = PersistentNames.UserLabel(userId);
        }

        var found = await engine.ListAsync(selector, cancellationToken);
        return found
            .Where(r => r.Kind == "volume")
            .Select(r => new StoredVolume(
                r.Name,
                r.Labels.GetValueOrDefault(LabLabels.User, ""),
                r.Labels.GetValueOrDefault(LabLabels.Lab, ""),
                r.Labels.GetValueOrDefault(LabLabels.Node, ""),
                r.Labels.GetValueOrDefault(LabLabels.StoragePath)))
            .OrderBy(v => v.User, StringComparer.Ordinal).ThenBy(v => v.Lab, StringComparer.Ordinal).ThenBy(v => v.Node, StringComparer.Ordinal).ThenBy(v => v.Path, StringComparer.Ordinal)
            .ToList();
    }

    public async Task DeleteStorageAsync(string name, string? userId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        // Only a name that is one of the listed volumes (of this user, unless an admin asks) is ever passed to the engine.
        var volume = (await ListStorageAsync(userId, cancellationToken)).FirstOrDefault(v => v.Name == name) ?? throw new StoredVolumeNotFoundException(name);
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
