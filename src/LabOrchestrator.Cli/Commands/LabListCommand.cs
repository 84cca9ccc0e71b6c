using System.CommandLine;
using LabOrchestrator.Cli.Rendering;
using LabOrchestrator.Labs;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;

namespace LabOrchestrator.Cli.Commands;

internal static class LabListCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command("list", "List the stored labs");
        command.SetAction(async (result, cancellationToken) =>
        {
            var output = context.Output(result);
            await using var services = await context.CreateServicesAsync(result, cancellationToken);
            var labs = await services.GetRequiredService<ILabCatalog>().ListAsync(cancellationToken);
            if (output.IsJson)
            {
                await output.WriteJsonAsync(labs.Select(LabJson.From).ToList());
                return ExitCodes.Success;
            }

            if (labs.Count == 0)
            {
                await output.Out.WriteLineAsync("No labs. Import one with 'labctl lab import PATH'.");
                return ExitCodes.Success;
            }

            var table = output.CreateTable("name", "title", "nodes", "networks", "tags", "updated");
            foreach (var lab in labs)
            {
                table.AddRow(
                    Cells.Text(lab.Name),
                    Cells.Text(lab.Definition.Title),
                    Cells.Text(lab.Definition.Nodes.Count.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                    Cells.Text(lab.Definition.Networks.Count.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                    Cells.Text(string.Join(", ", lab.Definition.Tags)),
                    Cells.Time(lab.UpdatedAt));
            }

            output.Write(table);
            return ExitCodes.Success;
        });
        return command;
    }
}
