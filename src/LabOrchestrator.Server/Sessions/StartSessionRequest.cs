namespace LabOrchestrator.Server.Sessions;

/// <summary>Body of <c>POST /api/sessions</c>.</summary>
internal sealed record StartSessionRequest(string? Lab);
