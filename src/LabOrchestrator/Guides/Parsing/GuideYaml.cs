using System.Text.RegularExpressions;
using LabOrchestrator.Labs;
using LabOrchestrator.Labs.Parsing;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace LabOrchestrator.Guides.Parsing;

/// <summary>
/// Reads values out of a YAML document that sits at <paramref name="lineOffset"/> lines into <paramref name="file"/>
/// (a step's body starts below its fence), reporting problems at the line they are on in the file.
/// </summary>
internal sealed partial class GuideYaml(string file, int lineOffset, List<LabDiagnostic> diagnostics)
{
    public string File { get; } = file;

    public void Error(int line, int column, string path, string message, string? hint = null) =>
        diagnostics.Add(new LabDiagnostic(File, line + lineOffset, column, path, message, hint));

    public void Error(YamlNode node, string path, string message, string? hint = null) =>
        Error((int)node.Start.Line, (int)node.Start.Column, path, message, hint);

    /// <summary>Parses the text; null (with a diagnostic) when it is not YAML, an empty mapping when it is empty.</summary>
    public YamlMappingNode? ParseMapping(string text, string what)
    {
        if (text.Length > ParserLimits.MaxStepBodyBytes)
        {
            Error(1, 1, "", $"{what} is {text.Length} characters long, more than the limit of {ParserLimits.MaxStepBodyBytes}",
                "keep long scripts in a file of the node's image and call it from the step");
            return null;
        }

        var stream = new YamlStream();
        try
        {
            // YamlStream builds its tree recursively; a bounded event walk first keeps a nested '[[[…' from
            // overflowing the stack, and refusing aliases keeps the tree as small as the text.
            GuideYamlLimits.Check(text);
            stream.Load(new StringReader(text));
        }
        catch (YamlException ex)
        {
            var message = ex.InnerException?.Message ?? ex.Message;
            // Check scripts often print "FAIL: ...", which YAML reads as a nested key unless the script is quoted.
            var hint = message.Contains("mapping", StringComparison.OrdinalIgnoreCase)
                ? "quote a value that contains ': ', or write the script as a block: script: | on its own line, the script indented below"
                : null;
            Error((int)ex.Start.Line, (int)ex.Start.Column, "", $"{what} is not valid YAML: {message}", hint);
            return null;
        }
        catch (InvalidOperationException)
        {
            // YamlDotNet's scanner gives up this way on some malformed input instead of raising a YamlException.
            Error(1, 1, "", $"{what} is not valid YAML", "check quotes, brackets and indentation");
            return null;
        }

        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is YamlScalarNode { Value: null or "" })
        {
            return new YamlMappingNode();
        }

        if (stream.Documents[0].RootNode is not YamlMappingNode mapping)
        {
            Error(stream.Documents[0].RootNode, "", $"{what} must be a mapping of keys to values");
            return null;
        }

        return mapping;
    }

    /// <summary>The entries of a mapping with string keys; unknown keys are reported with the known ones as a hint.</summary>
    public IEnumerable<(string Key, YamlNode Value)> Entries(YamlMappingNode mapping, string path, params string[] known)
    {
        foreach (var (keyNode, value) in mapping.Children)
        {
            var key = (keyNode as YamlScalarNode)?.Value ?? "";
            if (known.Length > 0 && !known.Contains(key))
            {
                Error(keyNode, Join(path, key), "is not a known field", $"known fields: {string.Join(", ", known)}");
                continue;
            }

            yield return (key, value);
        }
    }

    public string? String(YamlNode node, string path)
    {
        if (node is YamlScalarNode { Value: { } value })
        {
            return value;
        }

        Error(node, path, "must be a text value");
        return null;
    }

    public YamlMappingNode? Mapping(YamlNode node, string path)
    {
        if (node is YamlMappingNode mapping)
        {
            return mapping;
        }

        Error(node, path, "must be a mapping");
        return null;
    }

    public YamlSequenceNode? Sequence(YamlNode node, string path, string example)
    {
        if (node is YamlSequenceNode sequence)
        {
            return sequence;
        }

        Error(node, path, "must be a list", example);
        return null;
    }

    /// <summary>Durations as in lab files: 30s, 2m, 1m30s.</summary>
    public TimeSpan? Duration(YamlNode node, string path, TimeSpan max)
    {
        if (String(node, path) is not { } text)
        {
            return null;
        }

        var match = DurationPattern().Match(text.Trim());
        if (!match.Success || text.Trim().Length == 0)
        {
            Error(node, path, $"'{text}' is not a duration", "write it like 10s, 2m or 1m30s");
            return null;
        }

        var duration = TimeSpan.FromHours(Number(match, "h")) + TimeSpan.FromMinutes(Number(match, "m")) + TimeSpan.FromSeconds(Number(match, "s"));
        if (duration <= TimeSpan.Zero || duration > max)
        {
            Error(node, path, $"must be more than 0s and at most {max.TotalMinutes:0}m");
            return null;
        }

        return duration;
    }

    public static string Join(string path, string key) => path.Length == 0 ? key : $"{path}.{key}";

    private static int Number(Match match, string group) =>
        match.Groups[group].Success ? int.Parse(match.Groups[group].Value, System.Globalization.CultureInfo.InvariantCulture) : 0;

    [GeneratedRegex(@"^(?:(?<h>\d{1,4})h)?(?:(?<m>\d{1,4})m)?(?:(?<s>\d{1,6})s)?$")]
    private static partial Regex DurationPattern();
}
