using System.CommandLine;
using LabOrchestrator.Cli.Rendering;
using LabOrchestrator.Engines;
using LabOrchestrator.Labs;
using Microsoft.Extensions.DependencyInjection;

namespace LabOrchestrator.Cli.Commands;

internal static class LabImportCommand
{
    public static Command Create(CliContext context)
    {
        var paths = LabPaths.CreateArgument();
        var command = new Command("import", "Validate labs and store them, replacing labs of the same name; nothing is stored if any lab has problems") { paths };
        command.SetAction(async (result, cancellationToken) =>
        {
            var output = context.Output(result);
            var labs = LabPaths.Check(result.GetValue(paths)!);
            var invalid = labs.Where(l => !l.IsValid).ToList();
            if (invalid.Count > 0)
            {
                foreach (var lab in invalid)
                {
                    await LabPaths.WriteProblemsAsync(output.Error, lab);
                }

                throw new CliException($"nothing was imported: {string.Join(", ", invalid.Select(l => l.Path))} {(invalid.Count == 1 ? "has" : "have")} problems.");
            }

            await using var services = await context.CreateServicesAsync(result, cancellationToken);
            var catalog = services.GetRequiredService<ILabCatalog>();
            var engine = services.GetRequiredService<ILabEngines>().Default;
            var stored = new List<(StoredLab Lab, IReadOnlyList<LabImageWarning> Warnings)>();
            foreach (var lab in labs)
            {
                var existed = await catalog.GetAsync(lab.Lab!.Name, cancellationToken) is not null;
                var saved = await catalog.AddOrUpdateAsync(lab.Source!, cancellationToken);
                await CliAudit.RecordAsync(services, Server.Audit.AuditActions.LabUploaded, target: saved.Name, details: existed ? "updated" : "created");
                stored.Add((saved, await LabImageCheck.CheckAsync(saved.Definition, engine, cancellationToken)));
            }

            if (output.IsJson)
            {
                await output.WriteJsonAsync(stored.Select(s => LabJson.From(s.Lab) with { Warnings = s.Warnings.Select(w => w.Message).ToList() }).ToList());
            }
            else
            {
                foreach (var ((lab, warnings), path) in stored.Zip(labs.Select(l => l.Path)))
                {
                    await output.Out.WriteLineAsync(
                        $"Imported lab '{lab.Name}' from {path} ({Plural.Of(lab.Definition.Nodes.Count, "node")}, {Plural.Of(lab.Definition.Networks.Count, "network")}).");
                    foreach (var warning in warnings)
                    {
                        await output.Error.WriteLineAsync($"warning: {warning.Message}");
                    }
                }
            }

            return ExitCodes.Success;
        });
        return command;
    }
}
