namespace LabOrchestrator.Podman;

/// <summary>The static address of a node on one lab network of its session.</summary>
internal sealed record NodeAddress(string Node, string Network, string Ip);
