namespace LabOrchestrator.Server.Gateway;

/// <summary>Body of <c>POST /api/sessions/{id}/access</c>; every field is optional.</summary>
/// <param name="Nodes">The nodes the token opens; all nodes of the session when absent.</param>
/// <param name="Kinds">What it opens on them; <c>["terminal"]</c> when absent.</param>
/// <param name="LifetimeSeconds">1 to 3600; 900 when absent.</param>
public sealed record AccessTokenRequest(IReadOnlyList<string>? Nodes = null, IReadOnlyList<string>? Kinds = null, int? LifetimeSeconds = null);
