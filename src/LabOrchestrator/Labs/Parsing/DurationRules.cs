using System.Text.RegularExpressions;

namespace LabOrchestrator.Labs.Parsing;

/// <summary>Durations in the compact form authors know from Kubernetes and Go: <c>90s</c>, <c>45m</c>, <c>1h30m</c>.</summary>
internal static class DurationRules
{
    private const string Hint = "use whole numbers with the units h, m and s, e.g. 90s, 45m, 2h or 1h30m";

    // Anything longer than a year is surely a typo, and the cap keeps the arithmetic far from overflowing.
    private static readonly TimeSpan Max = TimeSpan.FromDays(366);

    public static TimeSpan? Read(YamlValue value, string path, ValueReader values)
    {
        if (values.String(value, path) is not { } text)
        {
            return null;
        }

        var match = LabPatterns.Duration().Match(text);
        if (text.Length == 0 || !match.Success)
        {
            values.Diagnostics.Add(value, path, $"{ValueReader.Quote(text)} is not a valid duration", Hint);
            return null;
        }

        var duration = Total(match);
        if (duration > Max)
        {
            values.Diagnostics.Add(value, path, $"{ValueReader.Quote(text)} is longer than the maximum of {Max.TotalDays} days", Hint);
            return null;
        }

        if (duration <= TimeSpan.Zero)
        {
            values.Diagnostics.Add(value, path, $"{ValueReader.Quote(text)} must be longer than zero", Hint);
            return null;
        }

        return duration;
    }

    /// <summary>The sum of the parts, or <see cref="TimeSpan.MaxValue"/> when any part alone exceeds the maximum.</summary>
    private static TimeSpan Total(Match match)
    {
        var total = TimeSpan.Zero;
        foreach (var (group, unit) in new[] { ("h", TimeSpan.FromHours(1)), ("m", TimeSpan.FromMinutes(1)), ("s", TimeSpan.FromSeconds(1)) })
        {
            if (!match.Groups[group].Success)
            {
                continue;
            }

            if (!int.TryParse(match.Groups[group].Value, out var count) || count > Max / unit)
            {
                return TimeSpan.MaxValue;
            }

            total += unit * count;
        }

        return total;
    }
}
