using System.CommandLine;
using LabOrchestrator.Guides;
using LabOrchestrator.Labs;
using LabOrchestrator.Sessions;
using LabOrchestrator.Users;
using Microsoft.Extensions.DependencyInjection;

namespace LabOrchestrator.Cli.Commands;

/// <summary>
/// Tests a lab like code: in a fresh session, every checked step's check must fail, then pass once its solve script
/// has run. Steps run in guide order, so each solve script also prepares the ground for the steps after it.
/// </summary>
internal static class LabTestCommand
{
    private static readonly UserRef Tester = new("labctl-test", "Lab test");

    public static Command Create(CliContext context)
    {
        var lab = new Argument<string>("LAB") { Description = "A lab file or folder (imported first), or the name of a stored lab" };
        var command = new Command("test", "Start a session of a lab and check that every checked step fails, is solved by its solve script, then passes") { lab };
        command.SetAction(async (result, cancellationToken) =>
        {
            var output = context.Output(result);
            var target = result.GetValue(lab)!;
            await using var services = await context.CreateServicesAsync(result, cancellationToken);
            var (stored, folder) = await FindLabAsync(services.GetRequiredService<ILabCatalog>(), target, output.Error, cancellationToken);

            var loaded = GuideLoader.Load(folder, stored.Definition.Nodes.Select(n => n.Name).ToList());
            if (!loaded.IsValid)
            {
                foreach (var diagnostic in loaded.Diagnostics)
                {
                    await output.Error.WriteLineAsync(diagnostic.ToString());
                }

                throw new CliException($"the guide of lab '{stored.Name}' has problems.");
            }

            var guide = loaded.Guide!;
            var sessions = services.GetRequiredService<ISessionService>();
            var session = await sessions.CreateAsync(stored.Name, Tester, cancellationToken);
            var failed = new List<string>();
            try
            {
                session = await sessions.RunAsync(session.Id, null, cancellationToken);
                if (session.State != SessionState.Running)
                {
                    throw new CliException($"session {session.Id} of lab '{stored.Name}' failed to start: {session.FailureDetail ?? session.FailureReason ?? session.State.ToString()}");
                }

                foreach (var step in guide.Steps)
                {
                    var problem = await TestStepAsync(sessions, session.Id, step, cancellationToken);
                    if (problem is null)
                    {
                        await output.Out.WriteLineAsync(step.Check is null ? $"- {step.Reference} (ticked by hand)" : $"✓ {step.Reference}");
                    }
                    else
                    {
                        failed.Add(step.Reference);
                        await output.Out.WriteLineAsync($"✗ {step.Reference}: {problem}");
                    }
                }
            }
            finally
            {
                await sessions.StopAsync(session.Id, CancellationToken.None);
            }

            if (failed.Count > 0)
            {
                throw new CliException($"lab '{stored.Name}' failed its test: {(failed.Count == 1 ? "step" : "steps")} {string.Join(", ", failed)}.");
            }

            var checkedSteps = guide.Steps.Count(s => s.Check is not null);
            await output.Out.WriteLineAsync($"Lab '{stored.Name}' passed: {checkedSteps} checked {(checkedSteps == 1 ? "step" : "steps")}.");
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>Why the step fails its test, or null when it passes.</summary>
    private static async Task<string?> TestStepAsync(ISessionService sessions, string sessionId, GuideStep step, CancellationToken cancellationToken)
    {
        if (step.Check is null)
        {
            return step.Solve is null ? null : Describe(await GuideChecker.RunAsync(sessions, sessionId, step.Solve, cancellationToken), "the solve script");
        }

        if (step.Solve is null)
        {
            return "the step has a check but no solve script";
        }

        var before = await GuideChecker.RunCheckAsync(sessions, sessionId, step, cancellationToken);
        if (before.Passed)
        {
            return "the check passes before the solve script ran";
        }

        if (Describe(await GuideChecker.RunAsync(sessions, sessionId, step.Solve, cancellationToken), "the solve script") is { } solveProblem)
        {
            return solveProblem;
        }

        var after = await GuideChecker.RunCheckAsync(sessions, sessionId, step, cancellationToken);
        return after.Passed ? null : $"the check still fails after the solve script ran{Feedback(after)}";
    }

    private static string? Describe(GuideCheckResult result, string what) =>
        result.Passed ? null : result.TimedOut ? $"{what} timed out" : $"{what} exited with {result.ExitCode}{Feedback(result)}";

    private static string Feedback(GuideCheckResult result) =>
        result.Feedback.Count == 0 ? "" : $" ({string.Join("; ", result.Feedback)})";

    private static async Task<(StoredLab Lab, string GuideFolder)> FindLabAsync(ILabCatalog catalog, string target, TextWriter error, CancellationToken cancellationToken)
    {
        StoredLab stored;
        if (Directory.Exists(target) || File.Exists(target))
        {
            var checkedLab = LabPaths.Check([target]).Single();
            if (!checkedLab.IsValid)
            {
                // The lab and its guide are validated together: every problem, with its file, line and column.
                await LabPaths.WriteProblemsAsync(error, checkedLab);
                throw new CliException($"{target} is not a valid lab (its problems are above); no session was started.");
            }

            stored = await catalog.AddOrUpdateAsync(checkedLab.Source!, cancellationToken);
            stored = stored with { SourceDirectory = stored.SourceDirectory ?? checkedLab.Source!.BaseDirectory };
        }
        else
        {
            stored = await catalog.GetAsync(target, cancellationToken)
                ?? throw new CliException($"there is no lab file or folder '{target}' and no stored lab of that name.");
        }

        if (stored.Definition.Guide is null || stored.SourceDirectory is null)
        {
            throw new CliException($"lab '{stored.Name}' has no guide to test{(stored.Definition.Guide is null ? "" : " (its source folder is not known; give the lab's path)")}.");
        }

        return (stored, Path.Combine(stored.SourceDirectory, stored.Definition.Guide));
    }
}
