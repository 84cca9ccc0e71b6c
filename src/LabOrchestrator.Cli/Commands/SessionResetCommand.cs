using System.CommandLine;
using LabOrchestrator.Cli.Rendering;
using LabOrchestrator.Engines;
using LabOrchestrator.Sessions;
using Microsoft.Extensions.DependencyInjection;

namespace LabOrchestrator.Cli.Commands;

internal static class SessionResetCommand
{
    public static Command Create(CliContext context)
    {
        var id = new Argument<string>("SESSION") { Description = "The session's id" };
        var node = new Option<string?>("--node", "-n") { Description = "Reset only this node (default: every node)", HelpName = "NODE" };
        var clear = new Option<bool>("--clear-progress") { Description = "Also clear the guide's progress (default: keep it)" };
        var command = new Command("reset", "Put a node, or every node, of a running session back to the lab's initial state; files and programs in it are lost, per-learner storage is kept")
        {
            id, node, clear,
        };
        command.SetAction(async (result, cancellationToken) =>
        {
            var output = context.Output(result);
            await using var services = await context.CreateServicesAsync(result, cancellationToken);
            var sessionId = result.GetValue(id)!;
            var target = result.GetValue(node);
            await output.Remarks.WriteLineAsync($"Resetting {(target is null ? "every node" : $"node {target}")} of session {sessionId}…");
            var session = await services.GetRequiredService<ISessionService>()
                .ResetAsync(sessionId, target, result.GetValue(clear), new LineProgress(output.Remarks), cancellationToken);
            if (output.IsJson)
            {
                await output.WriteJsonAsync(SessionJson.From(session));
            }

            if (session.State != SessionState.Running)
            {
                throw new CliException($"session {session.Id} failed to reset: {session.FailureDetail ?? session.FailureReason} (remove it with 'labctl session stop {session.Id}')");
            }

            if (!output.IsJson)
            {
                await output.Out.WriteLineAsync($"Session {session.Id} is Running again{(result.GetValue(clear) ? "; guide progress cleared" : "")}.");
            }

            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>One line per node change, as <c>labctl session start</c> prints them off a terminal.</summary>
    private sealed class LineProgress(TextWriter writer) : IProgress<NodeStatus>
    {
        public void Report(NodeStatus value)
        {
            lock (writer)
            {
                writer.WriteLine($"{value.Node}: {value.State}");
            }
        }
    }
}
