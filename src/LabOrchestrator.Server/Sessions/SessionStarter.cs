using System.Security.Claims;
using LabOrchestrator.Labs;
using LabOrchestrator.Server.Accounts;
using LabOrchestrator.Server.Labs;
using LabOrchestrator.Sessions;
using LabOrchestrator.Users;

namespace LabOrchestrator.Server.Sessions;

/// <summary>
/// Claims a ready session from the lab's warm pool, or creates a Pending session (of a lab, or from a saved session) and
/// hands it to <see cref="SessionRunner"/>, within the quotas. Counting and creating (or claiming) happen under <see cref="SessionAdmission"/>, so two
/// simultaneous starts cannot both take the last place.
/// </summary>
internal sealed class SessionStarter(
    ISessionService sessions, ILabCatalog catalog, SessionRunner runner, SessionAdmission admission, Pools.WarmPools pools, SessionEventHub hub, QuotaSettings quotas,
    Observability.LabMetrics metrics, TimeProvider time)
{
    public async Task<Session> StartAsync(ClaimsPrincipal user, string labName, CancellationToken cancellationToken)
    {
        // Learners cannot see unpublished labs, so for them such a lab does not exist.
        await LabReadHandlers.GetVisibleAsync(labName, user, catalog, cancellationToken);
        var userId = user.GetUserId();
        var began = time.GetTimestamp();
        var (session, claimed) = await AdmitAsync(userId, async ensureTotal =>
        {
            // A pool session already counts against the total: claiming it takes no new place.
            using (SessionTracing.Begin("admission.pool_claim", ""))
            {
                if (await sessions.ClaimPooledAsync(labName, new UserRef(userId), cancellationToken) is { } pooled)
                {
                    return (pooled, true);
                }
            }

            ensureTotal();
            return (await sessions.CreateAsync(labName, new UserRef(userId), cancellationToken), false);
        }, cancellationToken);

        if (claimed)
        {
            // A warm start: from the request to a Running session bound to the learner.
            metrics.RecordStart(session.LabName, warm: true, session.State, time.GetElapsedTime(began));
            hub.Publish(session);
            pools.Claimed(session.LabName);
        }
        else
        {
            runner.Start(session);
        }

        return session;
    }

    /// <summary>Continues a saved session: a new session within the same quotas as any start, run in the background.</summary>
    public async Task<Session> ContinueSavedAsync(ClaimsPrincipal user, SavedSession saved, CancellationToken cancellationToken)
    {
        var userId = user.GetUserId();
        var session = await AdmitAsync(userId, async ensureTotal =>
        {
            ensureTotal();
            return await sessions.CreateFromSavedAsync(saved.Id, new UserRef(userId), cancellationToken);
        }, cancellationToken);
        runner.Start(session);
        return session;
    }

    /// <summary>
    /// Under the admission lock: refuses a learner at Quotas:PerUser, then runs <paramref name="admit"/>, which calls the
    /// action it is given before it takes a new place (the Quotas:Total check).
    /// </summary>
    private Task<T> AdmitAsync<T>(string userId, Func<Action, Task<T>> admit, CancellationToken cancellationToken) =>
        admission.RunAsync(async () =>
        {
            IReadOnlyList<string> active;
            using (SessionTracing.Begin("admission.quota_count", ""))
            {
                // Owners only: this runs under the admission lock, which every start of a class queues for.
                active = await sessions.ListActiveOwnersAsync(cancellationToken);
            }

            var perUser = quotas.PerUserFor(userId);
            var total = quotas.Total;
            var mineCount = active.Count(owner => owner == userId);
            // The learner's own sessions are read only for a refusal, which lists them so they can stop one.
            var mine = mineCount >= perUser || active.Count >= total
                ? (await sessions.ListAsync(new SessionQuery { UserId = userId, ActiveOnly = true }, cancellationToken)).Where(s => s.State is not SessionState.Failed).ToList()
                : new List<Session>();
            if (mineCount >= perUser)
            {
                throw await SessionProblems.QuotaReachedAsync(SessionProblems.PerUserLimit, mineCount, perUser, mine, catalog, cancellationToken);
            }

            var full = active.Count >= total
                ? await SessionProblems.QuotaReachedAsync(SessionProblems.TotalLimit, active.Count, total, mine, catalog, cancellationToken)
                : null;
            return await admit(() =>
            {
                if (full is not null)
                {
                    throw full;
                }
            });
        }, cancellationToken);
}
