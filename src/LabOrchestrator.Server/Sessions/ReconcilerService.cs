using LabOrchestrator.Hosting;
using LabOrchestrator.Sessions;
using Microsoft.Extensions.Options;

namespace LabOrchestrator.Server.Sessions;

/// <summary>
/// Runs the reconciler when the server starts and then every <see cref="RecoveryOptions.ReconcileInterval"/> (waiting on
/// the <see cref="TimeProvider"/>). Sessions it changes are published to their followers, and the gateway closes the
/// connections of sessions that ended.
/// </summary>
internal sealed partial class ReconcilerService(
    ISessionReconciler reconciler,
    ISessionService sessions,
    SessionEventHub hub,
    SessionLifetimes lifetimes,
    TimeProvider time,
    IOptions<LabOrchestratorOptions> options,
    ILogger<ReconcilerService> logger) : BackgroundService
{
    /// <summary>Completed passes, for tests that wait for one.</summary>
    public int Passes => Volatile.Read(ref passes);

    private int passes;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var report = await reconciler.ReconcileAsync(cancellationToken: stoppingToken);
                await PublishAsync(report, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // The engine or database is away for now; the next pass tries again.
                LogPassFailed(e.Message);
            }

            Interlocked.Increment(ref passes);
            try
            {
                await Task.Delay(options.Value.Recovery.ReconcileInterval, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task PublishAsync(ReconcileReport report, CancellationToken cancellationToken)
    {
        var changed = report.Actions
            .Where(a => a.Kind is ReconcileActionKind.FailedVanished or ReconcileActionKind.FailedInterruptedStart or ReconcileActionKind.FinishedStop)
            .Select(a => a.SessionId)
            .Distinct(StringComparer.Ordinal);
        foreach (var id in changed)
        {
            await lifetimes.NotifyStoppingAsync(id);
            if (await sessions.GetAsync(id, cancellationToken) is { } session)
            {
                hub.Publish(session);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reconciler pass failed: {Reason}")]
    private partial void LogPassFailed(string reason);
}
