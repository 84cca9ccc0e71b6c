using System.CommandLine;
using LabOrchestrator.Cli.Rendering;
using LabOrchestrator.Labs;

namespace LabOrchestrator.Cli.Commands;

internal static class LabValidateCommand
{
    public static Command Create(CliContext context)
    {
        var paths = LabPaths.CreateArgument();
        var command = new Command("validate", "Check lab files and print every problem with its file, line and column") { paths };
        command.SetAction(async (result, cancellationToken) =>
        {
            var output = context.Output(result);
            var labs = LabPaths.Check(result.GetValue(paths)!);
            foreach (var lab in labs.Where(l => !l.IsValid))
            {
                await LabPaths.WriteProblemsAsync(output.Error, lab);
            }

            if (output.IsJson)
            {
                await output.WriteJsonAsync(labs.Select(ValidationJson.From).ToList());
            }
            else
            {
                foreach (var lab in labs.Where(l => l.IsValid))
                {
                    await output.Out.WriteLineAsync(
                        $"✓ {lab.Path}: lab '{lab.Lab!.Name}' is valid ({Plural.Of(lab.Lab.Nodes.Count, "node")}, {Plural.Of(lab.Lab.Networks.Count, "network")})");
                }
            }

            return labs.All(l => l.IsValid) ? ExitCodes.Success : ExitCodes.Failure;
        });
        return command;
    }

    private sealed record ValidationJson(string Path, bool Valid, string? Name, int? Nodes, int? Networks, IReadOnlyList<LabDiagnostic> Diagnostics, string? Error)
    {
        public static ValidationJson From(CheckedLab lab) =>
            new(lab.Path, lab.IsValid, lab.Lab?.Name, lab.Lab?.Nodes.Count, lab.Lab?.Networks.Count, lab.Diagnostics, lab.ReadError);
    }
}
