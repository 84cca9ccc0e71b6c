using System.CommandLine;
using LabOrchestrator.Cli.Rendering;
using LabOrchestrator.Sessions;
using LabOrchestrator.Users;
using Microsoft.Extensions.DependencyInjection;

namespace LabOrchestrator.Cli.Commands;

internal static class SessionStartCommand
{
    public static Command Create(CliContext context)
    {
        var lab = new Argument<string>("LAB") { Description = "The name of a stored lab" };
        var user = new Option<string>("--user", "-u") { Description = "Who the session belongs to (a user id)", Required = true, HelpName = "ID" };
        var displayName = new Option<string?>("--display-name") { Description = "The user's name to show", HelpName = "NAME" };
        var quiet = new Option<bool>("--quiet", "-q") { Description = "Print only the session id on standard output (progress goes to standard error)" };
        var command = new Command("start", "Start a session of a lab for a user and wait until its nodes run") { lab, user, displayName, quiet };
        command.SetAction(async (result, cancellationToken) =>
        {
            var output = context.Output(result);
            if (result.GetValue(quiet))
            {
                output = output.AsQuiet();
            }

            await using var services = await context.CreateServicesAsync(result, cancellationToken);
            await CliReconcile.BeforeChangeAsync(services, cancellationToken);
            var sessions = services.GetRequiredService<ISessionService>();
            var created = await sessions.CreateAsync(result.GetValue(lab)!, new UserRef(result.GetValue(user)!, result.GetValue(displayName)), cancellationToken);

            Session session;
            try
            {
                session = await StartProgressView.RunAsync(
                    output, created, progress => sessions.RunAsync(created.Id, progress, cancellationToken), cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                throw new CliException(
                    $"interrupted while session {created.Id} was starting; what it had made was removed and the session is Failed.",
                    ExitCodes.Interrupted);
            }

            if (output.IsJson)
            {
                await output.WriteJsonAsync(SessionJson.From(session, withCredentials: true));
            }

            if (session.State != SessionState.Running)
            {
                var reason = session.FailureDetail ?? session.FailureReason ?? $"it is {session.State}";
                throw new CliException($"session {session.Id} failed to start: {reason} (remove it with 'labctl session stop {session.Id}')");
            }

            if (output.IsQuiet && !output.IsJson)
            {
                await output.Out.WriteLineAsync(session.Id);
            }
            else if (!output.IsJson)
            {
                await SessionView.WriteAsync(output, session);
            }

            return ExitCodes.Success;
        });
        return command;
    }
}
