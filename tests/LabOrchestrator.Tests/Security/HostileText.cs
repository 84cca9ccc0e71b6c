using System.Text;

namespace LabOrchestrator.Tests.Security;

/// <summary>Hostile lab and guide texts of issue 11 (finding 2 and 9), shared by the regression and fuzz tests.</summary>
internal static class HostileText
{
    public const int Deep = 100_000;

    public static string Repeat(string text, int count) => new StringBuilder(text.Length * count).Insert(0, text, count).ToString();

    /// <summary>YAML values nested <paramref name="depth"/> levels in each of the ways YAML allows.</summary>
    public static IEnumerable<(string Name, string Yaml)> NestedYaml(int depth = Deep)
    {
        yield return ("flow sequences", Repeat("[", depth) + Repeat("]", depth));
        yield return ("unclosed flow sequences", Repeat("[", depth));
        yield return ("flow mappings", Repeat("{a: ", depth) + "x" + Repeat("}", depth));
        yield return ("unclosed flow mappings", Repeat("{", depth));
        yield return ("block sequences", Repeat("- ", depth) + "x");
        yield return ("indented block mappings", string.Concat(Enumerable.Range(0, Math.Min(depth, 2_000)).Select(i => new string(' ', i) + "a:\n")));
        yield return ("mixed", Repeat("[{a: ", depth / 2));
    }

    /// <summary>The "billion laughs": each alias doubles (here: multiplies by nine) what the one before it stands for.</summary>
    public static string BillionLaughs(string prefix = "")
    {
        var yaml = new StringBuilder(prefix).Append("a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
        for (var level = 'b'; level <= 'j'; level++)
        {
            var previous = (char)(level - 1);
            yaml.Append(level).Append(": &").Append(level).Append(" [")
                .Append(string.Join(",", Enumerable.Repeat($"*{previous}", 9))).Append("]\n");
        }

        return yaml.ToString();
    }

    /// <summary>Markdown nested in each of the ways that made Markdig slow or throw.</summary>
    public static IEnumerable<(string Name, string Markdown)> NestedMarkdown(int depth = 10_000)
    {
        yield return ("block quotes", Repeat(">", depth) + " x\n");
        yield return ("block quotes with spaces", Repeat("> ", depth) + "x\n");
        yield return ("growing block quotes", string.Concat(Enumerable.Range(0, 200).Select(i => Repeat(">", i) + " x\n")));
        yield return ("indented lists", string.Concat(Enumerable.Range(0, depth / 10).Select(i => new string(' ', i * 2) + "- x\n")));
        yield return ("list markers on one line", Repeat("- ", depth) + "x\n");
        yield return ("numbered lists on one line", Repeat("1. ", depth) + "x\n");
        yield return ("emphasis run", Repeat("*", depth) + "x" + Repeat("*", depth) + "\n");
        yield return ("alternating emphasis", Repeat("*a _b ", depth) + "x\n");
        yield return ("nested brackets", Repeat("[", depth) + "x" + Repeat("]", depth) + "(u)\n");
        yield return ("unclosed brackets", Repeat("[", depth) + "x\n");
        yield return ("unclosed links", Repeat("[a](", depth) + "\n");
        yield return ("quotes in list items", Repeat("- > ", depth) + "x\n");
    }
}
