using System.CommandLine;

namespace LabOrchestrator.Cli.Commands;

internal static class LabCommand
{
    public static Command Create(CliContext context) => new("lab", "Validate, import, list and remove labs")
    {
        LabValidateCommand.Create(context),
        LabImportCommand.Create(context),
        LabListCommand.Create(context),
        LabRemoveCommand.Create(context),
        LabTestCommand.Create(context),
        LabPoolCommand.Create(context),
    };
}
