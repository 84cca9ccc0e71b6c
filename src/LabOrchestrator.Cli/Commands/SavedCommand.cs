using System.CommandLine;
using System.Globalization;
using LabOrchestrator.Cli.Rendering;
using LabOrchestrator.Sessions;
using LabOrchestrator.Users;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;

namespace LabOrchestrator.Cli.Commands;

/// <summary><c>labctl saved list|continue|delete</c>: sessions saved with <c>labctl session save</c>.</summary>
internal static class SavedCommand
{
    public static Command Create(CliContext context) => new("saved", "List, continue and delete saved sessions")
    {
        List(context),
        Continue(context),
        Delete(context),
    };

    private static Command List(CliContext context)
    {
        var user = new Option<string?>("--user", "-u") { Description = "Only saves of this user", HelpName = "ID" };
        var command = new Command("list", "List saved sessions") { user };
        command.SetAction(async (result, cancellationToken) =>
        {
            var output = context.Output(result);
            await using var services = await context.CreateServicesAsync(result, cancellationToken);
            var saved = await services.GetRequiredService<ISessionService>().ListSavedAsync(result.GetValue(user), cancellationToken);
            if (output.IsJson)
            {
                await output.WriteJsonAsync(saved.Select(SavedJson.From).ToList());
                return ExitCodes.Success;
            }

            if (saved.Count == 0)
            {
                await output.Out.WriteLineAsync("No saved sessions.");
                return ExitCodes.Success;
            }

            var table = output.CreateTable("id", "lab", "user", "nodes", "steps done", "saved");
            foreach (var s in saved)
            {
                table.AddRow(
                    Cells.Text(s.Id), Cells.Text(s.LabName), Cells.Text(s.UserId), Cells.Text(string.Join(", ", s.Nodes.Keys.Order(StringComparer.Ordinal))),
                    Cells.Text(s.StepsDone.ToString(CultureInfo.InvariantCulture)), Cells.Time(s.CreatedAt));
            }

            output.Write(table);
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Continue(CliContext context)
    {
        var id = new Argument<string>("SAVED") { Description = "The saved session's id" };
        var command = new Command("continue", "Start a new session from a saved one and wait until its nodes run") { id };
        command.SetAction(async (result, cancellationToken) =>
        {
            var output = context.Output(result);
            await using var services = await context.CreateServicesAsync(result, cancellationToken);
            var sessions = services.GetRequiredService<ISessionService>();
            var saved = await sessions.GetSavedAsync(result.GetValue(id)!, cancellationToken) ?? throw new SavedSessionNotFoundException(result.GetValue(id)!);
            var created = await sessions.CreateFromSavedAsync(saved.Id, new UserRef(saved.UserId), cancellationToken);
            Session session;
            try
            {
                session = await StartProgressView.RunAsync(output, created, progress => sessions.RunAsync(created.Id, progress, cancellationToken), cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                throw new CliException(
                    $"interrupted while session {created.Id} was starting; remove what it left behind with 'labctl session stop {created.Id}'.", ExitCodes.Interrupted);
            }

            if (output.IsJson)
            {
                await output.WriteJsonAsync(SessionJson.From(session, withCredentials: true));
            }

            if (session.State != SessionState.Running)
            {
                throw new CliException($"session {session.Id} failed to start: {session.FailureDetail ?? session.FailureReason} (remove it with 'labctl session stop {session.Id}')");
            }

            if (!output.IsJson)
            {
                await SessionView.WriteAsync(output, session);
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Delete(CliContext context)
    {
        var id = new Argument<string>("SAVED") { Description = "The saved session's id" };
        var command = new Command("delete", "Delete a saved session and the images that hold its files") { id };
        command.SetAction(async (result, cancellationToken) =>
        {
            var output = context.Output(result);
            await using var services = await context.CreateServicesAsync(result, cancellationToken);
            await services.GetRequiredService<ISessionService>().DeleteSavedAsync(result.GetValue(id)!, cancellationToken);
            await output.Out.WriteLineAsync($"Deleted saved session {result.GetValue(id)}.");
            return ExitCodes.Success;
        });
        return command;
    }
}
