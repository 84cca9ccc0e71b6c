using LabOrchestrator.Server.Labs;

namespace LabOrchestrator.Server.Sessions;

/// <summary>Problem details of the sessions API.</summary>
internal static class SessionProblems
{
    public static RequestProblemException NotFound(string id) =>
        new(StatusCodes.Status404NotFound, "Not found", $"There is no session '{id}'. List your sessions with GET /api/sessions.");

    public static RequestProblemException Forbidden(string id) =>
        new(StatusCodes.Status403Forbidden, "Forbidden", $"Session '{id}' belongs to another user.");

    public static RequestProblemException QuotaReached(string limit, string setting, int current, int max, string who)
    {
        var problem = new RequestProblemException(
            StatusCodes.Status429TooManyRequests,
            "Session limit reached",
            $"{who} {current} of {max} concurrent sessions allowed ({setting}). Stop a session (DELETE /api/sessions/{{id}}) and start again.");
        problem.Extensions["limit"] = limit;
        problem.Extensions["setting"] = setting;
        problem.Extensions["current"] = current;
        problem.Extensions["max"] = max;
        return problem;
    }
}
