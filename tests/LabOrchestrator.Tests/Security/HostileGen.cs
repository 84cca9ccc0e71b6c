using CsCheck;

namespace LabOrchestrator.Tests.Security;

/// <summary>CsCheck generators of random and deeply nested YAML and Markdown for the fuzz tests.</summary>
internal static class HostileGen
{
    private static readonly string[] YamlTokens =
    [
        "[", "]", "{", "}", "- ", ": ", "a", "name", "nodes", "image", "env", "&x ", "*x", "&y ", "*y", ", ", "\n", "  ", "'", "\"",
        "? ", "|\n", ">-\n", "!!str ", "!!map ", "# c\n", "---\n", "...\n", "\t", "%YAML 1.2\n", "\\", "\u00e9", "\0", "\ud83d\ude00", "<<: ",
    ];

    private static readonly string[] MarkdownTokens =
    [
        ">", "> ", "- ", "* ", "+ ", "1. ", "*", "_", "**", "[", "]", "(", ")", "![", "](", "`", "```", "```step id=s\n", "~~~", "\n", "  ", "    ",
        "<div>", "</div>", "<a href=\"", "javascript:", "{{user.name}}", "|", "|---|", "#", "# ", "[!NOTE]", "\\", "&amp;", "<!--", "-->", "x",
    ];

    private static readonly string[] DeepUnits = ["[", "{a: ", "- ", "[{", "&a [", "? ", "> ", ">", "- > ", "*", "[a](", "  - ", "1. "];

    /// <summary>Up to a few hundred random YAML tokens: broken, odd and valid YAML alike.</summary>
    public static readonly Gen<string> Yaml = Gen.OneOf(YamlTokens).Array[0, 400].Select(string.Concat);

    /// <summary>Up to a few hundred random Markdown tokens.</summary>
    public static readonly Gen<string> Markdown = Gen.OneOf(MarkdownTokens).Array[0, 400].Select(string.Concat);

    /// <summary>One nesting unit repeated up to 100,000 times, optionally closed, after a random prefix.</summary>
    public static readonly Gen<string> Deep = Gen.Select(Gen.OneOf(DeepUnits), Gen.Int[1, 100_000], Gen.Bool, Gen.OneOf(YamlTokens),
        (unit, count, close, prefix) => prefix + HostileText.Repeat(unit, count) + "x" + (close ? HostileText.Repeat(unit.Contains('{') ? "}" : "]", count) : ""));

    /// <summary>Random text of either kind, or deeply nested text.</summary>
    public static readonly Gen<string> AnyText = Gen.Frequency((3, Yaml), (3, Markdown), (2, Deep));
}
