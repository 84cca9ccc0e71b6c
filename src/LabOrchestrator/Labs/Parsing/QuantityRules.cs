namespace LabOrchestrator.Labs.Parsing;

/// <summary>
/// Resource limits are passed to Kubernetes and Podman unchanged, so they must be Kubernetes quantities; a bad one
/// would otherwise only fail when a learner starts a session.
/// </summary>
internal static class QuantityRules
{
    public static string? Read(YamlValue value, string path, string examples, ValueReader values, string ceiling, string setting)
    {
        if (values.String(value, path) is not { } text)
        {
            return null;
        }

        var hint = $"use a Kubernetes quantity such as {examples}";
        if (!LabPatterns.Quantity().IsMatch(text))
        {
            values.Diagnostics.Add(value, path, $"{ValueReader.Quote(text)} is not a valid quantity", hint);
            return null;
        }

        if (!IsPositive(text))
        {
            values.Diagnostics.Add(value, path, $"{ValueReader.Quote(text)} must be greater than zero", hint);
            return null;
        }

        if (QuantityValue.Parse(text) > QuantityValue.Parse(ceiling))
        {
            values.Diagnostics.Add(value, path, $"{ValueReader.Quote(text)} is more than the ceiling of {ceiling} ({setting})",
                $"ask for at most {ceiling}, or ask the administrator to raise {setting}");
            return null;
        }

        return text;
    }

    /// <summary>Whether the number part is above zero; any exponent or suffix keeps a positive number positive.</summary>
    private static bool IsPositive(string quantity)
    {
        if (quantity.StartsWith('-'))
        {
            return false;
        }

        foreach (var c in quantity.TrimStart('+'))
        {
            if (c is >= '1' and <= '9')
            {
                return true;
            }

            if (c is not ('0' or '.'))
            {
                return false;
            }
        }

        return false;
    }
}
