namespace LabOrchestrator.Labs.Parsing;

/// <summary>
/// Rewords YamlDotNet's scanner messages, which speak of tokens and scalars, into what an author did wrong and how
/// to fix it. Messages not recognised are passed on, tidied.
/// </summary>
internal static class YamlErrorText
{
    private static readonly (string Fragment, string Message, string Hint)[] Known =
    [
        ("found invalid mapping", "invalid YAML: a value contains ': ' or ends with ':', which YAML reads as the start of a mapping",
            "put the value in quotes, or move the nested fields onto their own indented lines"),
        ("Mapping values are not allowed in this context", "invalid YAML: a ':' is not allowed here",
            "put the value in quotes, or check the indentation of this line"),
        ("did not find expected key", "invalid YAML: this line is not indented like the fields around it",
            "fields of one mapping must start in the same column; list items start with '- '"),
        ("did not find expected '-' indicator", "invalid YAML: this line is not indented like the list items around it",
            "list items must start with '- ' in the same column"),
        ("did not find expected ',' or ']'", "invalid YAML: a '[' list is not closed", "add the missing ']'"),
        ("did not find expected ',' or '}'", "invalid YAML: a '{' mapping is not closed", "add the missing '}'"),
        ("quoted scalar", "invalid YAML: a quoted value is not closed", "add the missing closing quote"),
        ("found character that cannot start any token", "invalid YAML: a value cannot start with this character",
            "put the value in quotes"),
        ("did not find expected node content", "invalid YAML: a value is missing here, or a bracket or quote is out of place",
            "write the value after the ':' or '- ', and check brackets and quotes on this line"),
        ("Operation is not valid", "invalid YAML: the text cannot be read from here on",
            "check quotes, brackets and indentation around this line"),
        ("tab character", "invalid YAML: tabs cannot be used for indentation", "indent with spaces"),
        ("invalid tab", "invalid YAML: tabs cannot be used for indentation", "indent with spaces"),
    ];

    /// <summary>
    /// Whether the end of the parser's error span is the better position: for a tab, the span starts at the value
    /// before it and ends on the offending line.
    /// </summary>
    public static bool PointsAtEnd(string parserMessage) => IsTab(parserMessage);

    public static bool IsTab(string parserMessage) => parserMessage.Contains(" tab", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Whether the parser stopped because a flow collection was never closed: it then complains about what it found
    /// where the ']' or '}' should have been (the end of the text, the next field, or nothing it can name).
    /// </summary>
    public static bool IsUnclosedFlow(string parserMessage) =>
        parserMessage.Contains("did not find expected ',' or", StringComparison.OrdinalIgnoreCase)
        || parserMessage.Contains("did not find expected node content", StringComparison.OrdinalIgnoreCase)
        || parserMessage.Contains("Operation is not valid", StringComparison.OrdinalIgnoreCase)
        || parserMessage.Contains("did not find expected key", StringComparison.OrdinalIgnoreCase);

    public static (string Message, string Hint) Unclosed(char bracket) => bracket == '['
        ? ("invalid YAML: the '[' list that starts here is not closed", "add the missing ']' after its last item")
        : ("invalid YAML: the '{' mapping that starts here is not closed", "add the missing '}' after its last field");

    public static (string Message, string? Hint) Describe(string parserMessage)
    {
        foreach (var (fragment, message, hint) in Known)
        {
            if (parserMessage.Contains(fragment, StringComparison.OrdinalIgnoreCase))
            {
                return (message, hint);
            }
        }

        var text = parserMessage.Trim().TrimEnd('.');
        if (text.Length > 0)
        {
            text = char.ToLowerInvariant(text[0]) + text[1..];
        }

        return ($"invalid YAML: {text}", null);
    }
}
