using System.CommandLine;
using System.Globalization;
using LabOrchestrator.Cli.Rendering;
using LabOrchestrator.Sessions;
using Microsoft.Extensions.DependencyInjection;

namespace LabOrchestrator.Cli.Commands;

/// <summary><c>labctl session pause|resume|extend SESSION</c>: the same calls as the REST API's, on this machine's database and engine.</summary>
internal static class SessionLifecycleCommands
{
    public static Command Pause(CliContext context) =>
        Create(context, "pause", "Pause a session: every node frozen with its memory kept, no CPU used", (s, id, ct) => s.PauseAsync(id, ct),
            s => $"Session {s.Id} is {s.State}; resume it with 'labctl session resume {s.Id}' (it is stopped at {Time(s.PausedAt + s.Limits.PausedFor)} if not).");

    public static Command Resume(CliContext context) =>
        Create(context, "resume", "Resume a paused session where it stopped", (s, id, ct) => s.ResumeAsync(id, ct),
            s => s.ExpiresAt is { } end ? $"Session {s.Id} is {s.State}; it ends at {Time(end)}." : $"Session {s.Id} is {s.State}.");

    public static Command Extend(CliContext context) =>
        Create(context, "extend", "Move a session's end by the lab's limits.extendBy (at most limits.maxExtensions times)", (s, id, ct) => s.ExtendAsync(id, ct),
            s => $"Session {s.Id} now ends at {Time(s.ExpiresAt)} (extension {s.Extensions} of {s.Limits.MaxExtensions}).");

    private static Command Create(CliContext context, string name, string description, Func<ISessionService, string, CancellationToken, Task<Session>> call, Func<Session, string> done)
    {
        var id = new Argument<string>("SESSION") { Description = "The session's id" };
        var command = new Command(name, description) { id };
        command.SetAction(async (result, cancellationToken) =>
        {
            var output = context.Output(result);
            await using var services = await context.CreateServicesAsync(result, cancellationToken);
            var session = await call(services.GetRequiredService<ISessionService>(), result.GetValue(id)!, cancellationToken);
            if (output.IsJson)
            {
                await output.WriteJsonAsync(SessionJson.From(session));
            }
            else
            {
                await output.Out.WriteLineAsync(done(session));
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static string Time(DateTimeOffset? at) => at?.ToLocalTime().ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) ?? "-";
}
