using System.Globalization;

namespace LabOrchestrator.Server.Tests.Observability;

/// <summary>Reads samples out of a Prometheus text exposition, as a scraper (or a person reading it) would.</summary>
internal sealed class PrometheusText(string text)
{
    public string Text { get; } = text;

    /// <summary>The value of the sample named <paramref name="name"/> whose labels include all of <paramref name="labels"/> ("key=value"), or null.</summary>
    public double? Value(string name, params string[] labels)
    {
        foreach (var line in Text.Split('\n'))
        {
            if (line.StartsWith('#') || !line.StartsWith(name, StringComparison.Ordinal))
            {
                continue;
            }

            var rest = line[name.Length..];
            var labelText = "";
            if (rest.StartsWith('{'))
            {
                var end = rest.IndexOf('}', StringComparison.Ordinal);
                labelText = rest[1..end];
                rest = rest[(end + 1)..];
            }
            else if (!rest.StartsWith(' '))
            {
                continue;
            }

            if (labels.All(l => labelText.Contains($"{l.Split('=')[0]}=\"{l.Split('=', 2)[1]}\"", StringComparison.Ordinal)))
            {
                var value = rest.Trim().Split(' ')[0];
                return double.Parse(value, NumberStyles.Float, CultureInfo.InvariantCulture);
            }
        }

        return null;
    }
}
