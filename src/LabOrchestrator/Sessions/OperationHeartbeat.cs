using LabOrchestrator.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace LabOrchestrator.Sessions;

/// <summary>
/// Renews a session's <see cref="SessionEntity.OperationHeartbeat"/> every interval while an operation runs, as long as
/// this process still owns it. Waits on the <see cref="TimeProvider"/>, so tests advance a fake clock instead of sleeping.
/// </summary>
internal sealed partial class OperationHeartbeat : IAsyncDisposable
{
    private readonly CancellationTokenSource stop = new();
    private readonly Task loop;

    private OperationHeartbeat(IDbContextFactory<LabOrchestratorDbContext> contexts, string sessionId, string owner, TimeSpan interval, TimeProvider time, ILogger logger)
    {
        loop = Task.Run(() => BeatAsync(contexts, sessionId, owner, interval, time, logger, stop.Token));
    }

    public static OperationHeartbeat Start(IDbContextFactory<LabOrchestratorDbContext> contexts, string sessionId, string owner, TimeSpan interval, TimeProvider time, ILogger logger) =>
        new(contexts, sessionId, owner, interval, time, logger);

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        await loop;
        stop.Dispose();
    }

    private static async Task BeatAsync(
        IDbContextFactory<LabOrchestratorDbContext> contexts, string sessionId, string owner, TimeSpan interval, TimeProvider time, ILogger logger, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(interval, time, cancellationToken);
                await using var db = await contexts.CreateDbContextAsync(cancellationToken);
                var now = time.GetUtcNow();
                var renewed = await db.Sessions
                    .Where(s => s.Id == sessionId && s.OperationOwner == owner)
                    .ExecuteUpdateAsync(set => set.SetProperty(s => s.OperationHeartbeat, now), cancellationToken);
                if (renewed == 0)
                {
                    // Someone else took the session over (a stop, or a reconciler that thought this process dead).
                    return;
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is DbUpdateException or InvalidOperationException or Microsoft.Data.Sqlite.SqliteException)
            {
                // A busy database misses one beat; the timeout allows for several.
                LogHeartbeatFailed(logger, sessionId, e.Message);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not renew the heartbeat of session {SessionId}: {Reason}")]
    private static partial void LogHeartbeatFailed(ILogger logger, string sessionId, string reason);
}
