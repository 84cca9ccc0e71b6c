using System.CommandLine;

namespace LabOrchestrator.Cli.Commands;

internal static class SessionCommand
{
    public static Command Create(CliContext context) => new("session", "Start, list, reach and stop sessions: running copies of labs")
    {
        SessionStartCommand.Create(context),
        SessionListCommand.Create(context),
        SessionShowCommand.Create(context),
        SessionStopCommand.Create(context),
        SessionLifecycleCommands.Pause(context),
        SessionLifecycleCommands.Resume(context),
        SessionLifecycleCommands.Extend(context),
        SessionShellCommand.Create(context),
        SessionExecCommand.Create(context),
        SessionReconcileCommand.Create(context),
        SessionResetCommand.Create(context),
        SessionSaveCommand.Create(context),
    };
}
