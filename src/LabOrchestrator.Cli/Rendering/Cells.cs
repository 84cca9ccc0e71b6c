using LabOrchestrator.Engines;
using LabOrchestrator.Sessions;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace LabOrchestrator.Cli.Rendering;

/// <summary>Table cells; user text is never parsed as Spectre markup.</summary>
internal static class Cells
{
    public static IRenderable Text(string? value) => new Text(value ?? "");

    public static IRenderable Time(DateTimeOffset? value) =>
        new Text(value is { } v ? v.ToLocalTime().ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture) : "");

    public static IRenderable State(SessionState state) => new Text(state.ToString(), new Style(StateColor(state)));

    public static IRenderable State(NodeState state) => new Text(state.ToString(), new Style(StateColor(state)));

    public static IRenderable[] Row(params string?[] values) => values.Select(Text).ToArray();

    private static Color StateColor(SessionState state) => state switch
    {
        SessionState.Running => Color.Green,
        SessionState.Failed => Color.Red,
        SessionState.Stopped => Color.Grey,
        _ => Color.Yellow,
    };

    private static Color StateColor(NodeState state) => state switch
    {
        NodeState.Running => Color.Green,
        NodeState.Failed or NodeState.Missing => Color.Red,
        NodeState.Stopped => Color.Grey,
        _ => Color.Yellow,
    };
}
