namespace LabOrchestrator.Sessions;

/// <summary>Who stops a session and why: <paramref name="By"/> is a user id, or null when the server itself stops it.</summary>
public sealed record SessionStop(StopReason Reason, string? By = null);
