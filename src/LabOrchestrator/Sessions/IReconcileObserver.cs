namespace LabOrchestrator.Sessions;

/// <summary>
/// Told of every action of the reconciler as it happens (register any number in DI); /metrics counts them by
/// <see cref="ReconcileAction.Kind"/>. Called on the reconciler's thread: keep it quick and never throw.
/// </summary>
public interface IReconcileObserver
{
    void Observe(ReconcileAction action);
}
