using LabOrchestrator.Engines;
using LabOrchestrator.Sessions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LabOrchestrator.Cli.Commands;

/// <summary>
/// labctl repairs what killed processes left (docs/lifecycle-recovery.md) before the commands that change sessions, so a
/// session stuck Starting or Stopping is Failed or Stopped before a new one starts. An engine that cannot be reached is
/// no reason to refuse the command: the command itself then says what is wrong.
/// </summary>
internal static partial class CliReconcile
{
    public static async Task BeforeChangeAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        try
        {
            await services.GetRequiredService<ISessionReconciler>().ReconcileAsync(cancellationToken: cancellationToken);
        }
        catch (EngineException e)
        {
            LogSkipped(services.GetRequiredService<ILoggerFactory>().CreateLogger("labctl"), e.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Reconcile before the command skipped: {Reason}")]
    private static partial void LogSkipped(ILogger logger, string reason);
}
