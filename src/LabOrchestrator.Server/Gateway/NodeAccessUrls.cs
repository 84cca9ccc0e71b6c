namespace LabOrchestrator.Server.Gateway;

/// <summary>The gateway URLs of one node that an access token opens; null for kinds the token or the lab does not offer.</summary>
public sealed record NodeAccessUrls(string? Terminal, IReadOnlyDictionary<string, string>? Ports = null);
