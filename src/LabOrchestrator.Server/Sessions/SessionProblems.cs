using LabOrchestrator.Server.Labs;

namespace LabOrchestrator.Server.Sessions;

/// <summary>Problem details of the sessions API.</summary>
internal static class SessionProblems
{
    public static RequestProblemException NotFound(string id) =>
        new(StatusCodes.Status404NotFound, "Not found", $"There is no session '{id}'. List your sessions with GET /api/sessions.");

    public static RequestProblemException Forbidden(string id) =>
        new(StatusCodes.Status403Forbidden, "Forbidden", $"Session '{id}' belongs to another user.");

    public const string PerUserLimit = "perUser";
    public const string TotalLimit = "total";

    /// <summary>
    /// A 429 in words for the learner, carrying the learner's own sessions that hold a place (<c>sessions</c>: id, lab,
    /// title, state, startedAt, createdAt) so that a client can offer to stop one. No configuration keys: admins change
    /// quotas through <c>/api/quotas</c>.
    /// </summary>
    public static async Task<RequestProblemException> QuotaReachedAsync(
        string limit, int current, int max, IReadOnlyList<LabOrchestrator.Sessions.Session> mine, LabOrchestrator.Labs.ILabCatalog catalog, CancellationToken cancellationToken)
    {
        var detail = limit == PerUserLimit
            ? $"You already have {current} lab session{(current == 1 ? "" : "s")} running, the most you may have at once. Stop one of them, then start this lab again."
            : "The server is running as many lab sessions as it can right now. Try again in a few minutes" + (mine.Count > 0 ? ", or stop one of your own sessions." : ".");
        var problem = new RequestProblemException(StatusCodes.Status429TooManyRequests, "Session limit reached", detail);
        problem.Extensions["limit"] = limit;
        problem.Extensions["current"] = current;
        problem.Extensions["max"] = max;
        var sessions = new List<QuotaSession>();
        foreach (var session in mine.OrderBy(s => s.CreatedAt))
        {
            var title = (await catalog.GetAsync(session.LabName, cancellationToken))?.Definition.Title;
            sessions.Add(new QuotaSession(session.Id, session.LabName, title, session.State, session.StartedAt, session.CreatedAt));
        }

        problem.Extensions["sessions"] = sessions;
        return problem;
    }
}
