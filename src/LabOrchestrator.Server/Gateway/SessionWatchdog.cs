using LabOrchestrator.Server.Accounts;
using LabOrchestrator.Sessions;
using Microsoft.Extensions.Options;

namespace LabOrchestrator.Server.Gateway;

/// <summary>
/// Closes the gateway connections of sessions that no longer run, whoever stopped them (this server, another replica,
/// labctl in another process, the idle reaper), and of sign-ins that ended on another replica (this replica closes its own
/// at once): one loop for all connections, one session read per session and one cached check per credential per tick.
/// On shutdown it closes every connection with 1001.
/// </summary>
internal sealed class SessionWatchdog(
    GatewayConnections connections,
    ISessionService sessions,
    ISignInCheck signIns,
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
                    connections.CloseSession(sessionId, session?.State == SessionState.Paused ? GatewayClose.SessionPaused : GatewayClose.SessionStopped);
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                GatewayLog.SessionCheckFailed(logger, e, sessionId);
            }
        }

        foreach (var owner in connections.Owners)
        {
            try
            {
                if (!await signIns.IsCurrentAsync(owner, cancellationToken))
                {
                    connections.CloseSignIn(owner, GatewayClose.SignInEnded);
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                GatewayLog.SignInCheckFailed(logger, e, owner.UserId);
            }
        }
    }
}
