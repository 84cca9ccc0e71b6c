using System.CommandLine;
using System.CommandLine.Invocation;
using LabOrchestrator.Cli.Commands;
using Microsoft.Extensions.DependencyInjection;

namespace LabOrchestrator.Cli;

/// <summary>
/// labctl as a callable: parses arguments, runs one command against <see cref="LabctlConsole"/> and returns the exit code.
/// Program.cs runs it on the process console; tests run it in-process with their own writers.
/// </summary>
internal sealed class LabctlApp(LabctlConsole console, Action<IServiceCollection>? configureServices = null, Func<string, string?>? environment = null)
{
    public async Task<int> RunAsync(IReadOnlyList<string> args, CancellationToken cancellationToken = default)
    {
        var options = new GlobalOptions(environment ?? Environment.GetEnvironmentVariable);
        var context = new CliContext(console, options, configureServices);
        var root = CreateRootCommand(context);
        var result = root.Parse(args);

        if (result.Action is ParseErrorAction)
        {
            var messages = string.Join("; ", result.Errors.Select(e => ErrorReporter.OneLine(e.Message)));
            await console.Error.WriteLineAsync($"error: {messages} (see '{CommandPath(result.CommandResult)} --help')");
            return ExitCodes.Usage;
        }

        var invocation = new InvocationConfiguration
        {
            Output = console.Out,
            Error = console.Error,
            // labctl reports errors itself (one line, no stack trace) and handles Ctrl-C through the token it is given.
            EnableDefaultExceptionHandler = false,
            ProcessTerminationTimeout = null,
        };

        try
        {
            return await result.InvokeAsync(invocation, cancellationToken);
        }
        catch (Exception ex)
        {
            return await ErrorReporter.ReportAsync(console.Error, ex, result.GetValue(options.Verbose), cancellationToken);
        }
        finally
        {
            await console.Out.FlushAsync(CancellationToken.None);
            await console.Error.FlushAsync(CancellationToken.None);
        }
    }

    internal static RootCommand CreateRootCommand(CliContext context)
    {
        var root = new RootCommand("labctl: validate and import labs, start and reach sessions of them.")
        {
            LabCommand.Create(context),
            SessionCommand.Create(context),
            SavedCommand.Create(context),
            StorageCommand.Create(context),
            ServeCommand.Create(context),
            DoctorCommand.Create(context),
        };
        foreach (var option in context.Options.All)
        {
            root.Options.Add(option);
        }

        return root;
    }

    private static string CommandPath(System.CommandLine.Parsing.CommandResult command)
    {
        var names = new List<string>();
        for (var current = command; current is not null; current = current.Parent as System.CommandLine.Parsing.CommandResult)
        {
            names.Add(current.Parent is null ? "labctl" : current.Command.Name);
        }

        names.Reverse();
        return string.Join(' ', names);
    }
}
