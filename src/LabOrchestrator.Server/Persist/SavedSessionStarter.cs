using System.Security.Claims;
using LabOrchestrator.Server.Accounts;
using LabOrchestrator.Server.Sessions;
using LabOrchestrator.Sessions;
using LabOrchestrator.Users;
using Microsoft.Extensions.Options;

namespace LabOrchestrator.Server.Persist;

/// <summary>
/// Continues a saved session: a new session within the same quotas as any start (Quotas:PerUser, Quotas:Total), run in
/// the background by <see cref="SessionRunner"/>.
/// </summary>
internal sealed class SavedSessionStarter(ISessionService sessions, SessionRunner runner, IOptions<QuotaOptions> quotas)
{
    private readonly SemaphoreSlim gate = new(1, 1);

    public async Task<Session> StartAsync(ClaimsPrincipal user, SavedSession saved, CancellationToken cancellationToken)
    {
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

            session = await sessions.CreateFromSavedAsync(saved.Id, new UserRef(userId), cancellationToken);
        }
        finally
        {
            gate.Release();
        }

        runner.Start(session);
        return session;
    }
}
