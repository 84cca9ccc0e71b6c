namespace LabOrchestrator.Podman.Tests;

/// <summary>
/// All Podman tests run one after another (the machine has two cores and one Podman), sharing two running sessions.
/// </summary>
[CollectionDefinition(Name)]
public sealed class PodmanCollection : ICollectionFixture<TwoSessionsFixture>
{
    public const string Name = "Podman";
}
