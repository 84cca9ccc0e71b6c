namespace LabOrchestrator.Server.Persist;

/// <summary>
/// Body of <c>POST /api/sessions/{id}/reset</c>: <c>node</c> names the node to reset, or is left out to reset every node;
/// <c>progress</c> is <c>keep</c> (the default) or <c>clear</c> for the guide's progress.
/// </summary>
internal sealed record ResetSessionRequest(string? Node, string? Progress);
