using System.CommandLine;
using System.Runtime.InteropServices;
using LabOrchestrator.Cli.Terminal;
using LabOrchestrator.Engines;
using LabOrchestrator.Sessions;
using Microsoft.Extensions.DependencyInjection;

namespace LabOrchestrator.Cli.Commands;

internal static class SessionShellCommand
{
    public static Command Create(CliContext context)
    {
        var id = new Argument<string>("SESSION") { Description = "The session's id" };
        var node = new Argument<string>("NODE") { Description = "The node to open a shell in" };
        var shellCommand = new Option<string?>("--command", "-c") { Description = "Run this with /bin/sh -c instead of a login shell", HelpName = "CMD" };
        var command = new Command("shell", "Open an interactive shell in a node, like 'kubectl exec -it'") { id, node, shellCommand };
        command.SetAction(async (result, cancellationToken) =>
        {
            var console = context.Console;
            var (columns, rows) = console.IsOutputTerminal ? console.WindowSize() : (80, 24);
            var options = new TerminalOptions
            {
                Columns = ToDimension(columns, 80),
                Rows = ToDimension(rows, 24),
                Command = result.GetValue(shellCommand) is { } text ? ["/bin/sh", "-c", text] : [],
            };

            await using var services = await context.CreateServicesAsync(result, cancellationToken);
            await using var terminal = await services.GetRequiredService<ISessionService>()
                .OpenTerminalAsync(result.GetValue(id)!, result.GetValue(node)!, options, cancellationToken);

            await console.Out.FlushAsync(cancellationToken);
            var input = console.OpenInput();
            var output = console.OpenOutput();
            using var rawMode = console.IsInputTerminal ? await RawMode.EnterAsync(cancellationToken) : null;
            using var resizing = console.IsOutputTerminal ? WatchResize(terminal, console) : null;
            await TerminalPump.RunAsync(terminal, input, output, sendEndOfInput: !console.IsInputTerminal, cancellationToken);
            return ExitCodes.Success;
        });
        return command;
    }

    private static IDisposable? WatchResize(ITerminalStream terminal, LabctlConsole console)
    {
        if (OperatingSystem.IsWindows())
        {
            return null;
        }

        return PosixSignalRegistration.Create(PosixSignal.SIGWINCH, signal =>
        {
            signal.Cancel = true;
            var (columns, rows) = console.WindowSize();
            // A lost resize only leaves the remote screen at its old size, so failures are ignored.
            _ = terminal.ResizeAsync(ToDimension(columns, 80), ToDimension(rows, 24), CancellationToken.None)
                .ContinueWith(t => t.Exception, TaskScheduler.Default);
        });
    }

    private static ushort ToDimension(int value, ushort fallback) => value is > 0 and <= ushort.MaxValue ? (ushort)value : fallback;
}
