using LabOrchestrator.Sessions;
using Microsoft.Extensions.Options;

namespace LabOrchestrator.Server.Gateway;

/// <summary>
/// Closes the gateway connections of sessions that no longer run, whoever stopped them (this server, another replica,
/// labctl in another process, the idle reaper): one loop for all connections, one session read per session per tick.
/// On shutdown it closes every connection with 1001.
/// </summary>
internal sealed class SessionWatchdog(
    GatewayConnections connections,
    ISessionService sessions,
    IOptions<GatewayOptions> options,
    TimeProvider time,
    ILogger<SessionWatchdog> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.SessionCheckInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await CheckAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            connections.CloseAll(GatewayClose.ServerStopping);
        }
    }

    internal async Task CheckAsync(CancellationToken cancellationToken)
    {
        foreach (var sessionId in connections.Sessions.ToList())
        {
            try
            {
                var session = await sessions.GetAsync(sessionId, cancellationToken);
                if (session?.State != SessionState.Running)
                {
                    connections.CloseSession(sessionId, GatewayClose.SessionStopped);
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                GatewayLog.SessionCheckFailed(logger, e, sessionId);
            }
        }
    }
}
