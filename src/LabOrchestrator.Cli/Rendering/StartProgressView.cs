using LabOrchestrator.Engines;
using LabOrchestrator.Sessions;
using Spectre.Console;

namespace LabOrchestrator.Cli.Rendering;

/// <summary>
/// Shows each node's state while a session starts: a live table on a terminal, otherwise one line per change
/// (<c>server: Starting</c>) so that logs and tests can read it.
/// </summary>
internal static class StartProgressView
{
    private static readonly TimeSpan RefreshInterval = TimeSpan.FromMilliseconds(100);

    public static async Task<Session> RunAsync(CliOutput output, Session created, Func<IProgress<NodeStatus>, Task<Session>> run, CancellationToken cancellationToken)
    {
        await output.Remarks.WriteLineAsync($"Starting session {created.Id} of lab '{created.LabName}' for {created.UserId}…");
        if (!output.RemarksAreTerminal)
        {
            return await run(new LineProgress(output.Remarks));
        }

        var board = new NodeBoard(created.Nodes);
        var ansi = CliOutput.CreateAnsiConsole(output.Remarks, isTerminal: true);
        Session? session = null;
        await ansi.Live(board.Render()).StartAsync(async live =>
        {
            var running = run(board);
            while (!running.IsCompleted)
            {
                live.UpdateTarget(board.Render());
                await Task.WhenAny(running, Task.Delay(RefreshInterval, CancellationToken.None));
            }

            live.UpdateTarget(board.Render());
            session = await running;
        });
        cancellationToken.ThrowIfCancellationRequested();
        return session!;
    }

    /// <summary>Writes a line whenever a node's state or message changes; the library reports from its own task.</summary>
    private sealed class LineProgress(TextWriter writer) : IProgress<NodeStatus>
    {
        private readonly Dictionary<string, NodeStatus> last = [];
        private readonly Lock gate = new();

        public void Report(NodeStatus value)
        {
            lock (gate)
            {
                if (last.TryGetValue(value.Node, out var previous) && previous == value)
                {
                    return;
                }

                last[value.Node] = value;
                writer.WriteLine(value.Message is null ? $"{value.Node}: {value.State}" : $"{value.Node}: {value.State} ({value.Message})");
                writer.Flush();
            }
        }
    }

    private sealed class NodeBoard : IProgress<NodeStatus>
    {
        private readonly List<string> order;
        private readonly Dictionary<string, NodeStatus> nodes;
        private readonly Lock gate = new();

        public NodeBoard(IReadOnlyList<NodeStatus> initial)
        {
            order = initial.Select(n => n.Node).ToList();
            nodes = initial.ToDictionary(n => n.Node);
        }

        public void Report(NodeStatus value)
        {
            lock (gate)
            {
                if (!nodes.ContainsKey(value.Node))
                {
                    order.Add(value.Node);
                }

                nodes[value.Node] = value;
            }
        }

        public Table Render()
        {
            var table = new Table { Border = TableBorder.Rounded };
            table.AddColumn("NODE");
            table.AddColumn("STATE");
            table.AddColumn("MESSAGE");
            lock (gate)
            {
                foreach (var name in order)
                {
                    var node = nodes[name];
                    table.AddRow(Cells.Text(node.Node), Cells.State(node.State), Cells.Text(node.Message));
                }
            }

            return table;
        }
    }
}
