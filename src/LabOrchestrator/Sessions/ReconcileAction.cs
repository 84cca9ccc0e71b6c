namespace LabOrchestrator.Sessions;

/// <summary>One thing the reconciler did (or left alone), for logs, labctl's report and metrics.</summary>
public sealed record ReconcileAction(ReconcileActionKind Kind, string SessionId, string? Detail = null);
