using LabOrchestrator.Sessions;

namespace LabOrchestrator.Server.Persist;

/// <summary>One folder a learner keeps for a lab.</summary>
internal sealed record StoredVolumeResponse(string Name, string User, string Lab, string Node, string? Path)
{
    public static StoredVolumeResponse From(StoredVolume volume) => new(volume.Name, volume.User, volume.Lab, volume.Node, volume.Path);
}
