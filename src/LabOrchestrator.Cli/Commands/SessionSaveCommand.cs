using System.CommandLine;
using LabOrchestrator.Cli.Rendering;
using LabOrchestrator.Sessions;
using Microsoft.Extensions.DependencyInjection;

namespace LabOrchestrator.Cli.Commands;

internal static class SessionSaveCommand
{
    public static Command Create(CliContext context)
    {
        var id = new Argument<string>("SESSION") { Description = "The session's id" };
        var command = new Command("save", "Save a running session to continue later ('labctl saved continue'): each node's files, the credentials and the guide progress; not running programs") { id };
        command.SetAction(async (result, cancellationToken) =>
        {
            var output = context.Output(result);
            await using var services = await context.CreateServicesAsync(result, cancellationToken);
            var saved = await services.GetRequiredService<ISessionService>().SaveAsync(result.GetValue(id)!, cancellationToken);
            if (output.IsJson)
            {
                await output.WriteJsonAsync(SavedJson.From(saved));
            }
            else
            {
                await output.Out.WriteLineAsync($"Saved session {saved.SessionId} as {saved.Id}; continue it with 'labctl saved continue {saved.Id}'.");
            }

            return ExitCodes.Success;
        });
        return command;
    }
}
