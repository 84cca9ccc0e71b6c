using System.CommandLine;
using System.Globalization;
using LabOrchestrator.Cli.Rendering;
using LabOrchestrator.Engines;
using LabOrchestrator.Sessions;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;

namespace LabOrchestrator.Cli.Commands;

internal static class SessionListCommand
{
    public static Command Create(CliContext context)
    {
        var user = new Option<string?>("--user", "-u") { Description = "Only sessions of this user", HelpName = "ID" };
        var lab = new Option<string?>("--lab") { Description = "Only sessions of this lab", HelpName = "NAME" };
        var all = new Option<bool>("--all", "-a") { Description = "Include stopped sessions" };
        var command = new Command("list", "List sessions (active ones unless --all)") { user, lab, all };
        command.SetAction(async (result, cancellationToken) =>
        {
            var output = context.Output(result);
            await using var services = await context.CreateServicesAsync(result, cancellationToken);
            var query = new SessionQuery { UserId = result.GetValue(user), LabName = result.GetValue(lab), ActiveOnly = !result.GetValue(all) };
            var sessions = await services.GetRequiredService<ISessionService>().ListAsync(query, cancellationToken);
            if (output.IsJson)
            {
                await output.WriteJsonAsync(sessions.Select(s => SessionJson.From(s)).ToList());
                return ExitCodes.Success;
            }

            if (sessions.Count == 0)
            {
                await output.Out.WriteLineAsync(query.ActiveOnly ? "No active sessions (add --all to include stopped ones)." : "No sessions.");
                return ExitCodes.Success;
            }

            var table = output.CreateTable("id", "lab", "user", "state", "nodes", "created");
            foreach (var session in sessions)
            {
                table.AddRow(
                    Cells.Text(session.Id),
                    Cells.Text(session.LabName),
                    Cells.Text(session.UserId),
                    Cells.State(session.State),
                    Cells.Text(NodeSummary(session)),
                    Cells.Time(session.CreatedAt));
            }

            output.Write(table);
            return ExitCodes.Success;
        });
        return command;
    }

    private static string NodeSummary(Session session) =>
        string.Create(CultureInfo.InvariantCulture, $"{session.Nodes.Count(n => n.State == NodeState.Running)}/{session.Nodes.Count} running");
}
