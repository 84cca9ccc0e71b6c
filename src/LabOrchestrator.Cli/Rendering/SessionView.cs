using LabOrchestrator.Sessions;
using Spectre.Console;

namespace LabOrchestrator.Cli.Rendering;

/// <summary>A session for people: its state, its nodes, the credentials to log in with, and what to do next.</summary>
internal static class SessionView
{
    public static async Task WriteAsync(CliOutput output, Session session)
    {
        await output.Out.WriteLineAsync($"Session {session.Id} of lab '{session.LabName}' for {session.UserId} is {session.State}.");
        if (session.FailureReason is not null)
        {
            await output.Out.WriteLineAsync($"Reason: {session.FailureReason}");
        }

        if (session.FailureDetail is not null)
        {
            // labctl runs on the server with its database: its user is the operator, who needs the engine's words.
            await output.Out.WriteLineAsync($"Detail: {session.FailureDetail}");
        }

        var nodes = output.CreateTable("node", "state", "message");
        foreach (var node in session.Nodes)
        {
            nodes.AddRow(Cells.Row(node.Node, node.State.ToString(), node.Message ?? ""));
        }

        output.Write(nodes);
        if (session.Credentials.Count > 0)
        {
            var table = output.CreateTable("node", "credential", "username", "password");
            foreach (var credential in session.Credentials)
            {
                table.AddRow(Cells.Row(credential.Node, credential.Name, credential.Username, credential.Password));
            }

            output.Write(table);
        }

        if (session.State == SessionState.Running)
        {
            var firstNode = session.Nodes.FirstOrDefault()?.Node ?? "NODE";
            await output.Out.WriteLineAsync($"Open a shell with 'labctl session shell {session.Id} {firstNode}'; stop it with 'labctl session stop {session.Id}'.");
        }
    }
}
