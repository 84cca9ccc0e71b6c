namespace LabOrchestrator.Server.Tests.Sessions;

/// <summary>Tests that start Podman sessions run one after another, so they do not compete for the machine.</summary>
[CollectionDefinition(Name)]
public sealed class PodmanSessions
{
    public const string Name = "Podman sessions";
}
