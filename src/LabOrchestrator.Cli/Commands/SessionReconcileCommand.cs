using System.CommandLine;
using LabOrchestrator.Cli.Rendering;
using LabOrchestrator.Sessions;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;

namespace LabOrchestrator.Cli.Commands;

/// <summary><c>labctl session reconcile</c>: one reconciler pass, reported.</summary>
internal static class SessionReconcileCommand
{
    public static Command Create(CliContext context)
    {
        var staleAfter = new Option<TimeSpan?>("--stale-after")
        {
            Description = "Take starts and stops whose heartbeat is older than this as dead (default: LabOrchestrator:Recovery:HeartbeatTimeout, 45s). "
                + "Shorter only when no other labctl or server is working on this database",
            HelpName = "DURATION",
            CustomParser = ParseStaleAfter,
        };
        var command = new Command("reconcile", "Repair what killed or crashed processes left: remove engine objects no session owns, end stuck starts and stops, fail sessions whose nodes are gone")
        {
            staleAfter,
        };
        command.SetAction(async (result, cancellationToken) =>
        {
            var output = context.Output(result);
            await using var services = await context.CreateServicesAsync(result, cancellationToken);
            var report = await services.GetRequiredService<ISessionReconciler>().ReconcileAsync(result.GetValue(staleAfter), cancellationToken);
            if (output.IsJson)
            {
                await output.WriteJsonAsync(new
                {
                    sessionsChecked = report.SessionsChecked,
                    engineObjects = report.EngineObjects,
                    actions = report.Actions.Select(a => new { kind = a.Kind.ToString(), sessionId = a.SessionId, detail = a.Detail }).ToList(),
                });
            }
            else if (report.Actions.Count == 0)
            {
                await output.Out.WriteLineAsync($"Nothing to repair ({report.SessionsChecked} sessions, {report.EngineObjects} engine objects checked).");
            }
            else
            {
                var table = output.CreateTable("session", "action", "detail");
                foreach (var action in report.Actions)
                {
                    table.AddRow(Cells.Text(action.SessionId), Cells.Text(action.Kind.ToString()), Cells.Text(action.Detail ?? ""));
                }

                output.Write(table);
            }

            return report.Actions.Any(a => a.Kind == ReconcileActionKind.Error) ? ExitCodes.Failure : ExitCodes.Success;
        });
        return command;
    }

    private static TimeSpan? ParseStaleAfter(System.CommandLine.Parsing.ArgumentResult result)
    {
        var text = result.Tokens.Count == 0 ? "" : result.Tokens[^1].Value;
        if (DurationParser.TryParse(text, out var duration) && duration >= TimeSpan.Zero)
        {
            return duration;
        }

        result.AddError($"'{text}' is not a duration; write it like 10s, 2m or 0s.");
        return null;
    }
}
