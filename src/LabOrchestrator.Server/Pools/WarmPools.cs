using System.Collections.Concurrent;
using LabOrchestrator.Labs;
using LabOrchestrator.Pools;
using LabOrchestrator.Server.Sessions;
using LabOrchestrator.Sessions;
using Microsoft.Extensions.Options;

namespace LabOrchestrator.Server.Pools;

/// <summary>
/// Keeps every published lab's warm pool at its size: starts pool sessions (a few at a time, within
/// <see cref="PoolOptions.Capacity"/> and <c>Quotas:Total</c>), stops the extra ones (lab unpublished, deleted, changed or
/// its size lowered) and backs off after failed starts. It runs every <see cref="PoolOptions.RefillPeriod"/> on the
/// TimeProvider, and at once when woken by a claim, a finished pool start or a settings change. Decisions are made under
/// <see cref="SessionAdmission"/>, the lock learners' starts and claims take, so a claim and a shrink never race.
/// </summary>
internal sealed partial class WarmPools(
    ISessionService sessions,
    ILabCatalog catalog,
    PoolSettings settings,
    SessionRunner runner,
    SessionAdmission admission,
    SessionEventHub hub,
    IOptions<PoolOptions> options,
    QuotaSettings quotas,
    TimeProvider time,
    ILogger<WarmPools> logger) : BackgroundService
{
    private readonly ConcurrentDictionary<string, LabPoolHealth> health = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim wake = new(0, 1);
    private readonly ConcurrentDictionary<string, DateTimeOffset> claimed = new(StringComparer.Ordinal);

    /// <summary>Asks for a refill pass now instead of at the next period.</summary>
    public void Nudge()
    {
        try
        {
            wake.Release();
        }
        catch (SemaphoreFullException)
        {
            // A pass is already asked for.
        }
    }

    /// <summary>
    /// A learner claimed a session of <paramref name="lab"/>'s pool: its refill waits <see cref="PoolOptions.RefillDelayAfterClaim"/>,
    /// then runs at once.
    /// </summary>
    public void Claimed(string lab)
    {
        var delay = options.Value.RefillDelayAfterClaim;
        if (delay <= TimeSpan.Zero)
        {
            Nudge();
            return;
        }

        claimed[lab] = time.GetUtcNow();
        ITimer? timer = null;
        timer = time.CreateTimer(_ =>
        {
            Nudge();
            timer?.Dispose();
        }, null, delay, Timeout.InfiniteTimeSpan);
    }

    /// <summary>The pools of the given labs (every lab when null).</summary>
    public async Task<IReadOnlyList<PoolStatus>> StatusAsync(string? labName, CancellationToken cancellationToken)
    {
        var labs = (await catalog.ListAsync(cancellationToken)).Where(l => labName is null || l.Name == labName).ToList();
        var overrides = await settings.OverridesAsync(cancellationToken);
        var pooled = (await sessions.ListAsync(new SessionQuery { UserId = PoolOwner.UserId, ActiveOnly = true }, cancellationToken))
            .Where(s => s.Pooled).ToList();
        return labs.Select(lab =>
        {
            var mine = pooled.Where(s => s.LabName == lab.Name).ToList();
            var healthy = health.GetValueOrDefault(lab.Name, LabPoolHealth.Healthy);
            return new PoolStatus
            {
                Lab = lab.Name,
                Size = Desired(lab, overrides),
                LabFileSize = lab.Definition.Pool?.Size,
                OverrideSize = overrides.TryGetValue(lab.Name, out var o) ? o : null,
                Ready = mine.Count(s => s.State == SessionState.Running),
                Starting = mine.Count(s => s.State is SessionState.Pending or SessionState.Starting),
                NotPoolable = PoolEligibility.WhyNot(lab.Definition),
                Published = lab.Published,
                ConsecutiveFailures = healthy.ConsecutiveFailures,
                LastFailureReason = healthy.LastFailureReason,
                LastFailureDetail = healthy.LastFailureDetail,
                LastFailureAt = healthy.LastFailureAt,
                NextAttemptAt = healthy.NextAttemptAt,
            };
        }).ToList();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await RunAsync(stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down; pool sessions that run stay for the next start of the server.
        }
    }

    private async Task RunAsync(CancellationToken stoppingToken)
    {
        await Guard(() => CleanUpAfterRestartAsync(stoppingToken), stoppingToken);
        while (!stoppingToken.IsCancellationRequested)
        {
            await Guard(() => RefillAsync(stoppingToken), stoppingToken);
            using var woken = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            var delay = Task.Delay(options.Value.RefillPeriod, time, woken.Token);
            var nudged = wake.WaitAsync(woken.Token);
            await Task.WhenAny(delay, nudged);
            await woken.CancelAsync();
            stoppingToken.ThrowIfCancellationRequested();
        }
    }

    private async Task Guard(Func<Task> pass, CancellationToken stoppingToken)
    {
        try
        {
            await pass();
        }
        catch (Exception e) when (!stoppingToken.IsCancellationRequested)
        {
            // A database or engine hiccup must not end the loop; the next period tries again.
            LogPassFailed(e);
        }
    }

    /// <summary>
    /// Pool sessions a previous run of the server left half-way (a start or a claim it never finished) are stopped:
    /// nobody else finishes them. Running pool sessions stay in the pool.
    /// </summary>
    private async Task CleanUpAfterRestartAsync(CancellationToken cancellationToken) =>
        await admission.RunAsync(async () =>
        {
            var owned = await sessions.ListAsync(new SessionQuery { UserId = PoolOwner.UserId, ActiveOnly = true }, cancellationToken);
            foreach (var session in owned.Where(s => !(s.Pooled && s.State == SessionState.Running)))
            {
                LogStopping(session.Id, session.LabName, "left half-way by a previous run of the server");
                await StopAsync(session.Id);
            }

            return 0;
        }, cancellationToken);

    private async Task RefillAsync(CancellationToken cancellationToken)
    {
        var labs = (await catalog.ListAsync(cancellationToken)).ToDictionary(l => l.Name, StringComparer.Ordinal);
        var overrides = await settings.OverridesAsync(cancellationToken);
        await admission.RunAsync(() => ShrinkAsync(labs, overrides, cancellationToken), cancellationToken);
        await GrowAsync(labs, overrides, cancellationToken);
    }

    private async Task<int> ShrinkAsync(Dictionary<string, StoredLab> labs, IReadOnlyDictionary<string, int> overrides, CancellationToken cancellationToken)
    {
        var owned = await sessions.ListAsync(new SessionQuery { UserId = PoolOwner.UserId, ActiveOnly = true }, cancellationToken);
        foreach (var failed in owned.Where(s => s.State == SessionState.Failed))
        {
            var now = time.GetUtcNow();
            var next = health.AddOrUpdate(failed.LabName,
                _ => LabPoolHealth.Healthy.Failed(failed.FailureReason, failed.FailureDetail, now, options.Value),
                (_, h) => h.Failed(failed.FailureReason, failed.FailureDetail, now, options.Value));
            LogStartFailed(failed.Id, failed.LabName, next.ConsecutiveFailures, next.NextAttemptAt!.Value);
            // Stopped, it keeps its reason for admins' session lists and stops counting anywhere.
            await StopAsync(failed.Id);
        }

        // Claims run under the same lock, so a pool owner's session that is not in the pool here is a claim that died.
        foreach (var orphan in owned.Where(s => !s.Pooled && s.State != SessionState.Failed))
        {
            LogStopping(orphan.Id, orphan.LabName, "a claim of it did not finish");
            await StopAsync(orphan.Id);
        }

        var outdated = (await sessions.ListOutdatedPooledAsync(cancellationToken)).ToHashSet(StringComparer.Ordinal);
        var live = owned.Where(s => s.Pooled && s.State != SessionState.Failed).ToList();
        foreach (var session in live.Where(s => outdated.Contains(s.Id)))
        {
            LogStopping(session.Id, session.LabName, "its lab was changed or deleted");
            await StopAsync(session.Id);
        }

        foreach (var group in live.Where(s => !outdated.Contains(s.Id)).GroupBy(s => s.LabName))
        {
            var desired = labs.TryGetValue(group.Key, out var lab) ? Desired(lab, overrides) : 0;
            // Starts under way go first (they hold no learner's hopes yet), then the newest ready ones.
            var extras = group.OrderBy(s => s.State == SessionState.Running ? 1 : 0).ThenByDescending(s => s.CreatedAt).Take(group.Count() - desired);
            foreach (var extra in extras)
            {
                LogStopping(extra.Id, extra.LabName, $"the pool's size is {desired}");
                await StopAsync(extra.Id);
            }
        }

        return 0;
    }

    private async Task GrowAsync(Dictionary<string, StoredLab> labs, IReadOnlyDictionary<string, int> overrides, CancellationToken cancellationToken)
    {
        var o = options.Value;
        var live = (await sessions.ListAsync(new SessionQuery { UserId = PoolOwner.UserId, ActiveOnly = true }, cancellationToken))
            .Where(s => s.Pooled && s.State != SessionState.Failed).ToList();
        var now = time.GetUtcNow();
        foreach (var (lab, h) in health)
        {
            // A pool session of the lab that came up after the last failure ends the back-off.
            if (h.ConsecutiveFailures > 0 && live.Any(s => s.LabName == lab && s.State == SessionState.Running && s.CreatedAt > h.LastFailureAt))
            {
                health[lab] = LabPoolHealth.Healthy;
            }
        }

        var missing = labs.Values
            .Select(l => (Lab: l.Name, Count: Desired(l, overrides) - live.Count(s => s.LabName == l.Name)))
            .Where(x => x.Count > 0 && !(health.TryGetValue(x.Lab, out var h) && h.NextAttemptAt > now) && !RecentlyClaimed(x.Lab, now))
            .ToDictionary(x => x.Lab, x => x.Count, StringComparer.Ordinal);
        var slots = Math.Min(o.MaxConcurrentStarts - live.Count(s => s.State != SessionState.Running), o.Capacity - live.Count);
        // One start per lab in turn, so that one large pool does not starve the others.
        while (slots > 0 && missing.Count > 0)
        {
            foreach (var lab in missing.Keys.Order(StringComparer.Ordinal).ToList())
            {
                if (slots <= 0)
                {
                    break;
                }

                if (!await StartOneAsync(lab, cancellationToken))
                {
                    return;
                }

                slots--;
                if (--missing[lab] == 0)
                {
                    missing.Remove(lab);
                }
            }
        }
    }

    /// <summary>Starts one pool session unless the server's total quota is full (false then).</summary>
    private async Task<bool> StartOneAsync(string lab, CancellationToken cancellationToken)
    {
        var session = await admission.RunAsync(async () =>
        {
            var held = (await sessions.ListAsync(new SessionQuery { ActiveOnly = true }, cancellationToken)).Count(s => s.State != SessionState.Failed);
            if (held >= quotas.Total)
            {
                LogTotalFull(lab, held);
                return null;
            }

            try
            {
                return await sessions.CreatePooledAsync(lab, cancellationToken);
            }
            catch (LabNotFoundException)
            {
                return null;
            }
        }, cancellationToken);
        if (session is null)
        {
            return false;
        }

        LogStarting(session.Id, lab);
        runner.Start(session);
        _ = runner.WhenEnded(session.Id).ContinueWith(_ => Nudge(), CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
        return true;
    }

    private bool RecentlyClaimed(string lab, DateTimeOffset now)
    {
        if (!claimed.TryGetValue(lab, out var at))
        {
            return false;
        }

        if (now - at < options.Value.RefillDelayAfterClaim)
        {
            return true;
        }

        claimed.TryRemove(KeyValuePair.Create(lab, at));
        return false;
    }

    private async Task StopAsync(string sessionId)
    {
        await runner.CancelAsync(sessionId, CancellationToken.None);
        hub.Publish(await sessions.StopAsync(sessionId, new SessionStop(StopReason.Server), CancellationToken.None));
    }

    private int Desired(StoredLab lab, IReadOnlyDictionary<string, int> overrides)
    {
        if (!lab.Published || options.Value.Capacity == 0 || PoolEligibility.WhyNot(lab.Definition) is not null)
        {
            return 0;
        }

        return overrides.TryGetValue(lab.Name, out var size) ? size : lab.Definition.Pool?.Size ?? 0;
    }

    public override void Dispose()
    {
        wake.Dispose();
        base.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Pool of lab {Lab}: starting session {SessionId}")]
    private partial void LogStarting(string sessionId, string lab);

    [LoggerMessage(Level = LogLevel.Information, Message = "Pool of lab {Lab}: stopping session {SessionId}: {Why}")]
    private partial void LogStopping(string sessionId, string lab, string why);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Pool of lab {Lab}: session {SessionId} failed to start ({Failures} in a row); next attempt at {NextAttempt}")]
    private partial void LogStartFailed(string sessionId, string lab, int failures, DateTimeOffset nextAttempt);

    [LoggerMessage(Level = LogLevel.Information, Message = "Pool of lab {Lab} not refilled: the server holds {Held} sessions, its Quotas:Total")]
    private partial void LogTotalFull(string lab, int held);

    [LoggerMessage(Level = LogLevel.Error, Message = "A warm pool pass failed; the next period tries again")]
    private partial void LogPassFailed(Exception exception);
}
