using System.CommandLine;
using LabOrchestrator.Sessions;
using Microsoft.Extensions.DependencyInjection;

namespace LabOrchestrator.Cli.Commands;

internal static class SessionExecCommand
{
    public static Command Create(CliContext context)
    {
        var id = new Argument<string>("SESSION") { Description = "The session's id" };
        var node = new Argument<string>("NODE") { Description = "The node to run the command in" };
        var commandLine = new Argument<string[]>("CMD") { Description = "The command and its arguments (after --)", Arity = ArgumentArity.OneOrMore };
        var timeout = new Option<TimeSpan>("--timeout", "-t")
        {
            Description = "How long the command may run (30s, 5m, 1h)",
            HelpName = "DURATION",
            CustomParser = DurationParser.Parse,
            DefaultValueFactory = _ => TimeSpan.FromSeconds(30),
        };
        var command = new Command("exec", "Run a command in a node and exit with its exit code (124 when it times out)") { id, node, commandLine, timeout };
        command.SetAction(async (result, cancellationToken) =>
        {
            var output = context.Output(result);
            var limit = result.GetValue(timeout);
            await using var services = await context.CreateServicesAsync(result, cancellationToken);
            var exec = await services.GetRequiredService<ISessionService>()
                .ExecAsync(result.GetValue(id)!, result.GetValue(node)!, result.GetValue(commandLine)!, limit, cancellationToken);

            if (output.IsJson)
            {
                await output.WriteJsonAsync(new { exitCode = exec.ExitCode, stdout = exec.StandardOutput, stderr = exec.StandardError, timedOut = exec.TimedOut });
            }
            else
            {
                await output.Out.WriteAsync(exec.StandardOutput);
                await output.Error.WriteAsync(exec.StandardError);
            }

            if (exec.TimedOut)
            {
                throw new CliException($"the command did not finish within {DurationParser.Format(limit)}.", ExitCodes.TimedOut);
            }

            return exec.ExitCode;
        });
        return command;
    }
}
