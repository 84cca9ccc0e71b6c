using LabOrchestrator.Persistence;
using Microsoft.EntityFrameworkCore;

namespace LabOrchestrator.Guides;

/// <summary>Guide progress in the <c>session_steps</c> table, one row per session and step touched.</summary>
internal sealed class GuideProgressStore(IDbContextFactory<LabOrchestratorDbContext> contexts, TimeProvider time) : IGuideProgressStore
{
    public async Task<IReadOnlyDictionary<string, StepProgress>> GetAsync(string sessionId, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var rows = await db.SessionSteps.AsNoTracking().Where(s => s.SessionId == sessionId).ToListAsync(cancellationToken);
        return rows.ToDictionary(r => r.StepId, ToProgress);
    }

    public async Task<IReadOnlyDictionary<string, IReadOnlySet<string>>> GetDoneStepsAsync(IReadOnlyCollection<string> sessionIds, CancellationToken cancellationToken = default)
    {
        if (sessionIds.Count == 0)
        {
            return new Dictionary<string, IReadOnlySet<string>>();
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var rows = await db.SessionSteps.AsNoTracking()
            .Where(s => s.Done && sessionIds.Contains(s.SessionId))
            .Select(s => new { s.SessionId, s.StepId })
            .ToListAsync(cancellationToken);
        return rows.GroupBy(r => r.SessionId)
            .ToDictionary(g => g.Key, g => (IReadOnlySet<string>)g.Select(r => r.StepId).ToHashSet());
    }

    public Task<StepProgress> RecordCheckAsync(string sessionId, string stepId, GuideCheckResult result, CancellationToken cancellationToken = default) =>
        UpdateAsync(sessionId, stepId, row =>
        {
            var now = time.GetUtcNow();
            row.CheckAttempts++;
            row.LastCheckedAt = now;
            row.LastCheckPassed = result.Passed;
            row.LastFeedback = result.Feedback.Count == 0 ? null : string.Join('\n', result.Feedback);
            if (result.Passed && !row.Done)
            {
                row.Done = true;
                row.Method = nameof(StepCompletion.Check);
                row.CompletedAt = now;
            }
        }, cancellationToken);

    public Task<StepProgress> SetManualAsync(string sessionId, string stepId, bool done, CancellationToken cancellationToken = default) =>
        UpdateAsync(sessionId, stepId, row =>
        {
            if (row.Done == done)
            {
                return;
            }

            row.Done = done;
            row.Method = done ? nameof(StepCompletion.Manual) : null;
            row.CompletedAt = done ? time.GetUtcNow() : null;
        }, cancellationToken);

    private async Task<StepProgress> UpdateAsync(string sessionId, string stepId, Action<SessionStepEntity> change, CancellationToken cancellationToken)
    {
        // Two checks of one step at once both try to insert its first row; the loser retries as an update.
        for (var attempt = 0; ; attempt++)
        {
            await using var db = await contexts.CreateDbContextAsync(cancellationToken);
            var row = await db.SessionSteps.FirstOrDefaultAsync(s => s.SessionId == sessionId && s.StepId == stepId, cancellationToken);
            if (row is null)
            {
                row = new SessionStepEntity { SessionId = sessionId, StepId = stepId };
                db.SessionSteps.Add(row);
            }

            change(row);
            try
            {
                await db.SaveChangesAsync(cancellationToken);
                return ToProgress(row);
            }
            catch (DbUpdateException) when (attempt == 0 && db.Entry(row).State == EntityState.Added)
            {
                // Retry once with the row the other request inserted.
            }
        }
    }

    private static StepProgress ToProgress(SessionStepEntity row) => new()
    {
        StepId = row.StepId,
        Done = row.Done,
        CompletedAt = row.CompletedAt,
        Method = Enum.TryParse<StepCompletion>(row.Method, out var method) ? method : null,
        CheckAttempts = row.CheckAttempts,
        LastCheckedAt = row.LastCheckedAt,
        LastCheckPassed = row.LastCheckPassed,
        LastFeedback = row.LastFeedback?.Split('\n') ?? [],
    };
}
