using LabOrchestrator.Sessions;

namespace LabOrchestrator.Guides;

/// <summary>Runs the scripts of steps in a session's nodes.</summary>
public static class GuideChecker
{
    private const string FailPrefix = "FAIL:";

    /// <summary>
    /// Runs the step's check: it passes on exit code 0 without any line starting <c>FAIL:</c>; those lines become
    /// feedback. A FAIL line fails the check even on exit code 0, so <c>test -f x || echo "FAIL: ..."</c> works.
    /// </summary>
    public static async Task<GuideCheckResult> RunCheckAsync(ISessionService sessions, string sessionId, GuideStep step, CancellationToken cancellationToken = default)
    {
        var check = step.Check ?? throw new InvalidOperationException($"Step '{step.Reference}' has no check; the learner ticks it by hand.");
        return await RunAsync(sessions, sessionId, check, cancellationToken);
    }

    /// <summary>Runs a script (a check or a solve script) with <c>sh -c</c> in its node.</summary>
    public static async Task<GuideCheckResult> RunAsync(ISessionService sessions, string sessionId, GuideScript script, CancellationToken cancellationToken = default)
    {
        var result = await sessions.ExecAsync(sessionId, script.Node, ["sh", "-c", script.Script], script.Timeout, cancellationToken);
        var feedback = Feedback(result.StandardOutput).Concat(Feedback(result.StandardError)).ToList();
        var failLines = feedback.Count;
        if (result.TimedOut)
        {
            feedback.Add($"The check did not finish within {script.Timeout.TotalSeconds:0}s.");
        }

        return new GuideCheckResult(result.ExitCode == 0 && !result.TimedOut && failLines == 0, feedback, result.ExitCode, result.TimedOut);
    }

    internal static IEnumerable<string> Feedback(string output) =>
        output.Split('\n')
            .Select(line => line.TrimEnd('\r'))
            .Where(line => line.StartsWith(FailPrefix, StringComparison.Ordinal))
            .Select(line => line[FailPrefix.Length..].Trim());
}
