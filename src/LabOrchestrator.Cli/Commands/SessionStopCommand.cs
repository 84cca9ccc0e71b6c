using System.CommandLine;
using LabOrchestrator.Cli.Rendering;
using LabOrchestrator.Server.Audit;
using LabOrchestrator.Sessions;
using Microsoft.Extensions.DependencyInjection;

namespace LabOrchestrator.Cli.Commands;

internal static class SessionStopCommand
{
    public static Command Create(CliContext context)
    {
        var id = new Argument<string>("SESSION") { Description = "The session's id" };
        var command = new Command("stop", "Stop a session and remove everything it runs") { id };
        command.SetAction(async (result, cancellationToken) =>
        {
            var output = context.Output(result);
            await using var services = await context.CreateServicesAsync(result, cancellationToken);
            await CliReconcile.BeforeChangeAsync(services, cancellationToken);
            var session = await services.GetRequiredService<ISessionService>().StopAsync(result.GetValue(id)!, new SessionStop(StopReason.Labctl, $"{CliAudit.Source}:{Environment.UserName}"), cancellationToken);
            await CliAudit.RecordAsync(services, AuditActions.SessionStopped, sessionId: session.Id, target: session.LabName);
            if (output.IsJson)
            {
                await output.WriteJsonAsync(SessionJson.From(session));
            }
            else
            {
                await output.Out.WriteLineAsync($"Session {session.Id} is {session.State}.");
            }

            return ExitCodes.Success;
        });
        return command;
    }
}
