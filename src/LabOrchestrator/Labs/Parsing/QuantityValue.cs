using System.Globalization;

namespace LabOrchestrator.Labs.Parsing;

/// <summary>The numeric value of a Kubernetes quantity, to compare a lab's request with an administrator's ceiling.</summary>
internal static class QuantityValue
{
    private static readonly (string Suffix, double Factor)[] Suffixes =
    [
        ("Ki", 1024d), ("Mi", Math.Pow(1024, 2)), ("Gi", Math.Pow(1024, 3)), ("Ti", Math.Pow(1024, 4)),
        ("Pi", Math.Pow(1024, 5)), ("Ei", Math.Pow(1024, 6)),
        ("n", 1e-9), ("u", 1e-6), ("m", 1e-3), ("k", 1e3), ("M", 1e6), ("G", 1e9), ("T", 1e12), ("P", 1e15), ("E", 1e18),
    ];

    /// <summary>The value, or null when the text is not a quantity. Huge exponents give infinity, which is above any ceiling.</summary>
    public static double? Parse(string text)
    {
        if (!LabPatterns.Quantity().IsMatch(text))
        {
            return null;
        }

        foreach (var (suffix, factor) in Suffixes)
        {
            if (text.EndsWith(suffix, StringComparison.Ordinal)
                && double.TryParse(text[..^suffix.Length], NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
            {
                return number * factor;
            }
        }

        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var plain) ? plain : null;
    }
}
