using System.Globalization;

namespace LabOrchestrator.Bench;

/// <summary>The command line: <c>[--mode] MODE [--rounds N] [--connections N] [--seconds N]</c>.</summary>
internal sealed record BenchOptions(string Mode, int? RoundsOption, int? ConnectionsOption, int? SecondsOption, IReadOnlyList<string> Rest)
{
    public int Rounds => RoundsOption ?? 5;
    public int Connections => ConnectionsOption ?? 32;
    public int Seconds => SecondsOption ?? 5;

    public static BenchOptions Parse(string[] args)
    {
        string? mode = null;
        int? rounds = null, connections = null, seconds = null;
        var rest = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--mode" when i + 1 < args.Length:
                    mode = args[++i];
                    break;
                case "--rounds" when i + 1 < args.Length:
                    rounds = Positive(args[i], args[++i]);
                    break;
                case "--connections" when i + 1 < args.Length:
                    connections = Positive(args[i], args[++i]);
                    break;
                case "--seconds" when i + 1 < args.Length:
                    seconds = Positive(args[i], args[++i]);
                    break;
                default:
                    if (mode is null && !args[i].StartsWith("--", StringComparison.Ordinal))
                    {
                        mode = args[i];
                    }
                    else
                    {
                        rest.Add(args[i]);
                    }

                    break;
            }
        }

        return new BenchOptions(mode ?? "cold-start", rounds, connections, seconds, rest);
    }

    private static int Positive(string name, string value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0
            ? n
            : throw new ArgumentException($"{name} needs a positive whole number, not '{value}'.");
}
