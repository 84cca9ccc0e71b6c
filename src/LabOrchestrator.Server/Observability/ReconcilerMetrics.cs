using LabOrchestrator.Sessions;

namespace LabOrchestrator.Server.Observability;

/// <summary>Counts every action of the reconciler in <c>labo_reconciler_actions_total{action}</c>.</summary>
internal sealed class ReconcilerMetrics(LabMetrics metrics) : IReconcileObserver
{
    public void Observe(ReconcileAction action) => metrics.RecordReconcilerAction(action.Kind.ToString());
}
