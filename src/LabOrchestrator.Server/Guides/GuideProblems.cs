using LabOrchestrator.Server.Labs;

namespace LabOrchestrator.Server.Guides;

/// <summary>Problem details of the guides API.</summary>
internal static class GuideProblems
{
    public static RequestProblemException NoGuide(string lab) =>
        new(StatusCodes.Status404NotFound, "Not found", $"Lab '{lab}' has no guide.");

    public static RequestProblemException InvalidGuide(string lab) =>
        new(StatusCodes.Status404NotFound, "Not found", $"The guide of lab '{lab}' cannot be loaded; ask an instructor to fix it.");

    public static RequestProblemException MediaNotFound(string? reason) =>
        new(StatusCodes.Status404NotFound, "Not found", $"No such guide file: {reason}.");

    public static RequestProblemException StepNotFound(string stepId) =>
        new(StatusCodes.Status404NotFound, "Not found", $"The guide has no step '{stepId}'.");

    public static RequestProblemException NoCheck(string stepId) =>
        new(StatusCodes.Status404NotFound, "Not found", $"Step '{stepId}' has no check; tick it by hand.");

    public static RequestProblemException DoneMissing() =>
        new(StatusCodes.Status400BadRequest, "Invalid request", "Say whether the step is done, e.g. {\"done\": true}.", "done");

    public static RequestProblemException HasCheck(string stepId) =>
        new(StatusCodes.Status409Conflict, "Step is checked", $"Step '{stepId}' has a check; it ticks itself when its check passes.");

    public static RequestProblemException NotOwner(string id) =>
        new(StatusCodes.Status403Forbidden, "Forbidden", $"Only the owner of session '{id}' may check or tick its steps.");

    public static RequestProblemException NotRunning(string id, string state) =>
        state == nameof(LabOrchestrator.Sessions.SessionState.Paused)
            ? new(StatusCodes.Status409Conflict, "Session paused", $"Session '{id}' is paused; resume it to check or tick its steps.")
            : new(StatusCodes.Status409Conflict, "Session not running", $"Session '{id}' is {state}; steps are checked and ticked only while it is Running.");
}
