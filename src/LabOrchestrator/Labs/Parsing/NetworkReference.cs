namespace LabOrchestrator.Labs.Parsing;

/// <summary>A node's use of a network, kept with its position until every declared network is known.</summary>
internal sealed record NetworkReference(string Network, YamlValue At, string Path);
