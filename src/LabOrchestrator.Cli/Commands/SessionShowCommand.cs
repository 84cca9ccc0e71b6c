using System.CommandLine;
using LabOrchestrator.Cli.Rendering;
using LabOrchestrator.Sessions;
using Microsoft.Extensions.DependencyInjection;

namespace LabOrchestrator.Cli.Commands;

internal static class SessionShowCommand
{
    public static Command Create(CliContext context)
    {
        var id = new Argument<string>("SESSION") { Description = "The session's id" };
        var command = new Command("show", "Show a session: its state, nodes and credentials") { id };
        command.SetAction(async (result, cancellationToken) =>
        {
            var output = context.Output(result);
            await using var services = await context.CreateServicesAsync(result, cancellationToken);
            var sessionId = result.GetValue(id)!;
            var session = await services.GetRequiredService<ISessionService>().GetAsync(sessionId, cancellationToken)
                ?? throw new SessionNotFoundException(sessionId);
            if (output.IsJson)
            {
                await output.WriteJsonAsync(SessionJson.From(session, withCredentials: true));
            }
            else
            {
                await SessionView.WriteAsync(output, session);
            }

            return ExitCodes.Success;
        });
        return command;
    }
}
