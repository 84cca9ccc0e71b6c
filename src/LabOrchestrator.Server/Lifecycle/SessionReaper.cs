using LabOrchestrator.Server.Sessions;
using LabOrchestrator.Sessions;
using Microsoft.Extensions.Options;

namespace LabOrchestrator.Server.Lifecycle;

/// <summary>
/// One loop for every active session: writes learner activity to the database, warns before a session's end, and stops
/// sessions whose time is up, that nobody used for the lab's idle timeout, or that stayed paused too long — each with its
/// reason. It waits on the <see cref="TimeProvider"/>, so tests move a fake clock instead of sleeping.
/// </summary>
internal sealed partial class SessionReaper(
    ISessionService sessions,
    SessionStopper stopper,
    SessionActivity activity,
    SessionEventHub hub,
    TimeProvider time,
    IOptions<LifecycleOptions> options,
    ILogger<SessionReaper> logger) : BackgroundService
{
    // Warnings sent, per session and kind, so that leaving the warning window (an extension, new activity) is announced once.
    private readonly Dictionary<(string Session, string Kind), DateTimeOffset> warned = [];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // A periodic timer rather than a delay per pass: a tick that falls while a pass runs is kept, not lost.
        using var timer = new PeriodicTimer(options.Value.ReaperPeriod, time);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (!await timer.WaitForNextTickAsync(stoppingToken))
                {
                    return;
                }

                await TickAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // One bad pass (the database busy, the engine down) must not end the loop for good.
                LogTickFailed(e);
            }
        }
    }

    internal async Task TickAsync(CancellationToken cancellationToken)
    {
        await sessions.RecordActivityAsync(activity.TakeDue(), cancellationToken);
        var active = (await sessions.ListAsync(new SessionQuery { ActiveOnly = true }, cancellationToken))
            .Where(s => s.State is SessionState.Running or SessionState.Paused)
            .ToList();
        var now = time.GetUtcNow();
        foreach (var session in active)
        {
            if (Decide(session, now) is { } reason)
            {
                LogStopping(session.Id, reason);
                ForgetWarnings(session.Id);
                try
                {
                    await stopper.StopAsync(session, new SessionStop(reason));
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    LogStopFailed(e, session.Id);
                }
            }
        }

        foreach (var key in warned.Keys.Where(k => active.All(s => s.Id != k.Session)).ToList())
        {
            warned.Remove(key);
        }
    }

    /// <summary>The reason to stop the session now, or null (after sending any warning due).</summary>
    private StopReason? Decide(Session session, DateTimeOffset now)
    {
        var settings = options.Value;
        var limits = session.Limits;
        if (session.Pooled)
        {
            // A warm pool session waits for a learner: no time limit or idle timeout runs until it is claimed.
            return null;
        }

        if (session.State == SessionState.Paused)
        {
            // While paused neither the time limit nor the idle timeout runs; only the pause's own limit.
            Clear(session.Id, SessionWarning.TimeLimit);
            Clear(session.Id, SessionWarning.Idle);
            var pausedUntil = (session.PausedAt ?? now) + limits.PausedFor;
            return Check(session.Id, SessionWarning.PausedTooLong, pausedUntil, settings.WarnBefore, now, StopReason.PausedTooLong,
                "This session has been paused a long time; resume it or it will be stopped.");
        }

        Clear(session.Id, SessionWarning.PausedTooLong);
        if (session.ExpiresAt is { } expires
            && Check(session.Id, SessionWarning.TimeLimit, expires, settings.WarnBefore, now, StopReason.TimeLimit,
                session.Extensions < limits.MaxExtensions
                    ? "This session's time is nearly up; extend it or save your work."
                    : "This session's time is nearly up; save your work.") is { } timeUp)
        {
            return timeUp;
        }

        if (limits.IdleTimeout is { } idle)
        {
            var last = Max(Max(activity.Last(session.Id), session.LastActivityAt), session.StartedAt) ?? now;
            var window = settings.IdleWarnBefore < idle / 2 ? settings.IdleWarnBefore : idle / 2;
            return Check(session.Id, SessionWarning.Idle, last + idle, window, now, StopReason.Idle,
                "Still there? This session will stop soon unless you use it.");
        }

        return null;
    }

    private StopReason? Check(string sessionId, string kind, DateTimeOffset endsAt, TimeSpan window, DateTimeOffset now, StopReason reason, string message)
    {
        if (now >= endsAt)
        {
            return reason;
        }

        if (endsAt - now <= window)
        {
            // Sent on every pass while it holds, so a page opened after the first warning still gets it.
            warned[(sessionId, kind)] = endsAt;
            hub.PublishWarning(sessionId, new SessionWarning(kind, endsAt, (long)Math.Ceiling((endsAt - now).TotalSeconds), message));
        }
        else
        {
            Clear(sessionId, kind, endsAt, now);
        }

        return null;
    }

    private void Clear(string sessionId, string kind, DateTimeOffset? endsAt = null, DateTimeOffset? now = null)
    {
        if (warned.Remove((sessionId, kind), out var was))
        {
            var at = endsAt ?? was;
            hub.PublishWarning(sessionId, new SessionWarning(kind, at, (long)Math.Max(0, Math.Ceiling((at - (now ?? time.GetUtcNow())).TotalSeconds)),
                "The warning no longer holds.", Cancelled: true));
        }
    }

    private void ForgetWarnings(string sessionId)
    {
        foreach (var key in warned.Keys.Where(k => k.Session == sessionId).ToList())
        {
            warned.Remove(key);
        }
    }

    private static DateTimeOffset? Max(DateTimeOffset? a, DateTimeOffset? b) => a is null ? b : b is null ? a : a > b ? a : b;

    [LoggerMessage(Level = LogLevel.Information, Message = "Stopping session {SessionId}: {Reason}")]
    private partial void LogStopping(string sessionId, StopReason reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The reaper could not stop session {SessionId}")]
    private partial void LogStopFailed(Exception exception, string sessionId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A pass of the session reaper failed; the next one tries again")]
    private partial void LogTickFailed(Exception exception);
}
