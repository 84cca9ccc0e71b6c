using System.Security.Claims;
using LabOrchestrator.Labs;
using LabOrchestrator.Server.Accounts;
using LabOrchestrator.Server.Labs;
using LabOrchestrator.Sessions;
using LabOrchestrator.Users;
using Microsoft.Extensions.Options;

namespace LabOrchestrator.Server.Sessions;

/// <summary>
/// Creates a Pending session within the quotas and hands it to <see cref="SessionRunner"/>. Counting and creating
/// happen under one lock, so two simultaneous starts cannot both take the last place.
/// </summary>
internal sealed class SessionStarter(ISessionService sessions, ILabCatalog catalog, SessionRunner runner, IOptions<QuotaOptions> quotas)
{
    private readonly SemaphoreSlim gate = new(1, 1);

    public async Task<Session> StartAsync(ClaimsPrincipal user, string labName, CancellationToken cancellationToken)
    {
        // Learners cannot see unpublished labs, so for them such a lab does not exist.
        await LabReadHandlers.GetVisibleAsync(labName, user, catalog, cancellationToken);
        var userId = user.GetUserId();
        Session session;
        await gate.WaitAsync(cancellationToken);
        try
        {
            var active = (await sessions.ListAsync(new SessionQuery { ActiveOnly = true }, cancellationToken))
                .Where(s => s.State is not SessionState.Failed)
                .ToList();
            var limits = quotas.Value;
            var mine = active.Count(s => s.UserId == userId);
            if (mine >= limits.PerUser)
            {
                throw SessionProblems.QuotaReached("perUser", "Quotas:PerUser", mine, limits.PerUser, "You already have");
            }

            if (active.Count >= limits.Total)
            {
                throw SessionProblems.QuotaReached("total", "Quotas:Total", active.Count, limits.Total, "The server already runs");
            }

            session = await sessions.CreateAsync(labName, new UserRef(userId), cancellationToken);
        }
        finally
        {
            gate.Release();
        }

        runner.Start(session);
        return session;
    }
}
