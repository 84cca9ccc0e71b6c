using System.CommandLine;
using LabOrchestrator.Labs;
using Microsoft.Extensions.DependencyInjection;

namespace LabOrchestrator.Cli.Commands;

internal static class LabRemoveCommand
{
    public static Command Create(CliContext context)
    {
        var name = new Argument<string>("NAME") { Description = "The lab's name" };
        var command = new Command("remove", "Remove a lab from the store") { name };
        command.SetAction(async (result, cancellationToken) =>
        {
            var output = context.Output(result);
            var labName = result.GetValue(name)!;
            await using var services = await context.CreateServicesAsync(result, cancellationToken);
            if (!await services.GetRequiredService<ILabCatalog>().RemoveAsync(labName, cancellationToken))
            {
                throw new LabNotFoundException(labName);
            }

            await CliAudit.RecordAsync(services, Server.Audit.AuditActions.LabDeleted, target: labName);

            if (output.IsJson)
            {
                await output.WriteJsonAsync(new { name = labName, removed = true });
            }
            else
            {
                await output.Out.WriteLineAsync($"Removed lab '{labName}'.");
            }

            return ExitCodes.Success;
        });
        return command;
    }
}
