using LabOrchestrator.Engines;

namespace LabOrchestrator.Testing.EngineContract;

/// <summary>
/// What the fakes of a node (FakeLabEngine, the Kubernetes tests' fake kubelet) answer to the commands the engine
/// contract runs: <c>sh -c SCRIPT</c> where SCRIPT is <c>;</c>-separated <c>echo WORDS</c>, <c>echo WORDS &gt;&amp;2</c>,
/// <c>sleep SECONDS</c> and <c>exit N</c>. Anything else is "not found" (127), as in a shell.
/// </summary>
internal static class FakeShell
{
    /// <summary>The command's result had it run to its end, and how long it would have taken.</summary>
    public static (ExecResult Result, TimeSpan Duration) Run(IReadOnlyList<string> command)
    {
        if (command is not ["sh", "-c", var script])
        {
            return (new ExecResult(127, "", $"sh: {command.FirstOrDefault()}: not found\n"), TimeSpan.Zero);
        }

        var stdout = new System.Text.StringBuilder();
        var stderr = new System.Text.StringBuilder();
        var duration = TimeSpan.Zero;
        foreach (var statement in script.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var words = statement.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            switch (words)
            {
                case ["echo", .. var rest] when rest.Length > 0 && rest[^1] == ">&2":
                    stderr.Append(string.Join(' ', rest[..^1])).Append('\n');
                    break;
                case ["echo", .. var rest]:
                    stdout.Append(string.Join(' ', rest)).Append('\n');
                    break;
                case ["sleep", var seconds]:
                    duration += TimeSpan.FromSeconds(double.Parse(seconds, System.Globalization.CultureInfo.InvariantCulture));
                    break;
                case ["exit", var code]:
                    return (new ExecResult(int.Parse(code, System.Globalization.CultureInfo.InvariantCulture), stdout.ToString(), stderr.ToString()), duration);
                default:
                    return (new ExecResult(127, stdout.ToString(), stderr.Append($"sh: {words[0]}: not found\n").ToString()), duration);
            }
        }

        return (new ExecResult(0, stdout.ToString(), stderr.ToString()), duration);
    }
}
