using System.Text;

namespace LabOrchestrator.Labs.Parsing;

/// <summary>
/// Names of labs, nodes, networks, ports and credentials end up as Kubernetes object names, host names and labels,
/// so they follow DNS-1123 label rules everywhere rather than failing later inside an engine.
/// </summary>
internal static class NameRules
{
    public const int MaxLength = 63;

    public static bool IsValid(string name) => name.Length <= MaxLength && LabPatterns.Dns1123Label().IsMatch(name);

    /// <summary>Reports a bad name with a corrected suggestion; returns whether it was valid.</summary>
    public static bool Check(string name, YamlValue at, string path, string what, DiagnosticBag diagnostics)
    {
        if (IsValid(name))
        {
            return true;
        }

        var suggestion = Suggest(name);
        diagnostics.Add(at, path,
            $"{ValueReader.Quote(name)} is not a valid {what} name: use lowercase letters, digits and '-', "
            + $"starting and ending with a letter or digit, at most {MaxLength} characters",
            suggestion.Length == 0 ? null : $"try '{suggestion}'");
        return false;
    }

    public static string Suggest(string name)
    {
        var text = new StringBuilder(name.Length);
        foreach (var c in name.ToLowerInvariant())
        {
            text.Append(char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) ? c : '-');
        }

        var trimmed = text.ToString().Trim('-');
        return trimmed.Length <= MaxLength ? trimmed : trimmed[..MaxLength].TrimEnd('-');
    }
}
