namespace LabOrchestrator.Sessions;

/// <summary>What one reconciler pass saw and did.</summary>
public sealed record ReconcileReport(int SessionsChecked, int EngineObjects, IReadOnlyList<ReconcileAction> Actions)
{
    public int Count(ReconcileActionKind kind) => Actions.Count(a => a.Kind == kind);
}
