using System.CommandLine;
using LabOrchestrator.Cli.Rendering;
using LabOrchestrator.Sessions;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;

namespace LabOrchestrator.Cli.Commands;

/// <summary><c>labctl storage list|delete</c>: folders kept per learner and lab (a node's <c>storage</c>).</summary>
internal static class StorageCommand
{
    public static Command Create(CliContext context) => new("storage", "List and delete learners' stored data (folders kept per learner and lab)")
    {
        List(context),
        Delete(context),
    };

    private static Command List(CliContext context)
    {
        var user = new Option<string?>("--user", "-u") { Description = "Only data of this user", HelpName = "ID" };
        var command = new Command("list", "List stored data") { user };
        command.SetAction(async (result, cancellationToken) =>
        {
            var output = context.Output(result);
            await using var services = await context.CreateServicesAsync(result, cancellationToken);
            var volumes = await services.GetRequiredService<ISessionService>().ListStorageAsync(result.GetValue(user), cancellationToken);
            if (output.IsJson)
            {
                await output.WriteJsonAsync(volumes);
                return ExitCodes.Success;
            }

            if (volumes.Count == 0)
            {
                await output.Out.WriteLineAsync("No stored data.");
                return ExitCodes.Success;
            }

            var table = output.CreateTable("name", "user", "lab", "node", "folder");
            foreach (var v in volumes)
            {
                table.AddRow(Cells.Row(v.Name, v.User, v.Lab, v.Node, v.Path));
            }

            output.Write(table);
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Delete(CliContext context)
    {
        var name = new Argument<string>("NAME") { Description = "The stored data's name, as 'labctl storage list' shows it" };
        var command = new Command("delete", "Delete stored data for good; refused while a session uses it") { name };
        command.SetAction(async (result, cancellationToken) =>
        {
            var output = context.Output(result);
            await using var services = await context.CreateServicesAsync(result, cancellationToken);
            await services.GetRequiredService<ISessionService>().DeleteStorageAsync(result.GetValue(name)!, null, cancellationToken);
            await output.Out.WriteLineAsync($"Deleted stored data {result.GetValue(name)}.");
            return ExitCodes.Success;
        });
        return command;
    }
}
