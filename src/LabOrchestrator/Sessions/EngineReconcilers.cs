using LabOrchestrator.Engines;
using Microsoft.Extensions.DependencyInjection;

namespace LabOrchestrator.Sessions;

/// <summary>The reconciler of the whole process: one <see cref="SessionReconciler"/> pass per configured engine, in turn.</summary>
internal sealed class EngineReconcilers(IServiceProvider services, ILabEngines engines) : ISessionReconciler
{
    private readonly Lazy<IReadOnlyList<(ILabEngine Engine, SessionReconciler Reconciler)>> reconcilers = new(() =>
        engines.All.Select(e => (e, ActivatorUtilities.CreateInstance<SessionReconciler>(services, e))).ToList());

    public async Task<ReconcileReport> ReconcileAsync(TimeSpan? staleAfter = null, CancellationToken cancellationToken = default)
    {
        var (sessions, objects, actions) = (0, 0, new List<ReconcileAction>());
        foreach (var (engine, reconciler) in reconcilers.Value)
        {
            ReconcileReport report;
            try
            {
                report = await reconciler.ReconcileAsync(staleAfter, cancellationToken);
            }
            catch (EngineException e)
            {
                // One engine that does not answer (a cluster down) does not keep the others from being repaired.
                actions.Add(new ReconcileAction(ReconcileActionKind.Error, "", $"Engine '{engine.Name}': {e.Message}"));
                continue;
            }

            sessions += report.SessionsChecked;
            objects += report.EngineObjects;
            actions.AddRange(report.Actions);
        }

        return new ReconcileReport(sessions, objects, actions);
    }
}
