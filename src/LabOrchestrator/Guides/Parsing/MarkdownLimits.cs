using LabOrchestrator.Labs.Parsing;

namespace LabOrchestrator.Guides.Parsing;

/// <summary>
/// A linear pre-check of a guide page before Markdig reads it. Markdig's own nesting limit stops a stack overflow,
/// but only after quadratic work: 10,000 nested '[' or list levels take seconds. This finds those shapes first,
/// line by line, and names the line and column. Fenced code is skipped: it is not parsed as Markdown.
/// </summary>
internal static class MarkdownLimits
{
    public sealed record Problem(int Line, int Column, string Message, string Hint);

    public static Problem? Check(string markdown)
    {
        var lines = markdown.Split('\n');
        string? fence = null;
        var brackets = 0;
        var parens = 0;
        var emphasis = 0;
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            var (containers, content) = Containers(line);
            var body = line[content..].TrimEnd('\r');
            if (fence is not null)
            {
                if (body.TrimStart().StartsWith(fence, StringComparison.Ordinal))
                {
                    fence = null;
                }

                continue;
            }

            if (containers > ParserLimits.MaxMarkdownNesting)
            {
                return new Problem(i + 1, 1, $"quotes and lists are nested more than {ParserLimits.MaxMarkdownNesting} levels deep", "nest less deeply");
            }

            if (content > ParserLimits.MaxLeadingColumns && body.Length > 0)
            {
                return new Problem(i + 1, 1, $"the line is indented more than {ParserLimits.MaxLeadingColumns} columns", "indent less deeply");
            }

            var trimmed = body.TrimStart();
            if (trimmed.StartsWith("```", StringComparison.Ordinal) || trimmed.StartsWith("~~~", StringComparison.Ordinal))
            {
                fence = trimmed[..3];
                continue;
            }

            if (body.Trim().Length == 0)
            {
                brackets = parens = emphasis = 0;
                continue;
            }

            if (trimmed.All(c => c is '*' or '_' or '-' or ' ' or '\t'))
            {
                // A thematic break such as '* * *' or '________' has no inline content.
                continue;
            }

            if (Inline(body, i + 1, content, ref brackets, ref parens, ref emphasis) is { } problem)
            {
                return problem;
            }
        }

        return null;
    }

    /// <summary>How many block quote and list markers open the line, and where its text starts.</summary>
    private static (int Count, int Content) Containers(string line)
    {
        var count = 0;
        var position = 0;
        while (position < line.Length)
        {
            var c = line[position];
            if (c is ' ' or '\t')
            {
                position++;
            }
            else if (c == '>')
            {
                count++;
                position++;
            }
            else if (c is '-' or '*' or '+' && position + 1 < line.Length && line[position + 1] is ' ' or '\t')
            {
                count++;
                position += 2;
            }
            else if (char.IsAsciiDigit(c) && ListNumberEnd(line, position) is { } end)
            {
                count++;
                position = end;
            }
            else
            {
                break;
            }
        }

        return (count, position);
    }

    private static int? ListNumberEnd(string line, int position)
    {
        var end = position;
        while (end < line.Length && char.IsAsciiDigit(line[end]) && end - position < 9)
        {
            end++;
        }

        return end + 1 < line.Length && line[end] is '.' or ')' && line[end + 1] is ' ' or '\t' ? end + 2 : null;
    }

    private static Problem? Inline(string text, int line, int offset, ref int brackets, ref int parens, ref int emphasis)
    {
        var run = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\\')
            {
                i++;
                run = 0;
                continue;
            }

            run = c is '*' or '_' ? run + 1 : 0;
            switch (c)
            {
                case '[': brackets++; break;
                case ']': brackets = Math.Max(0, brackets - 1); break;
                case '(': parens++; break;
                case ')': parens = Math.Max(0, parens - 1); break;
                case '*' or '_': emphasis++; break;
            }

            if (brackets > ParserLimits.MaxMarkdownBrackets || parens > ParserLimits.MaxMarkdownBrackets)
            {
                return new Problem(line, offset + i + 1, $"more than {ParserLimits.MaxMarkdownBrackets} '[' or '(' are open at once", "close brackets sooner, or escape them as \\[");
            }

            if (run > ParserLimits.MaxEmphasisRun || emphasis > ParserLimits.MaxEmphasisPerParagraph)
            {
                return new Problem(line, offset + i + 1, $"too many '*' or '_' in one paragraph (at most {ParserLimits.MaxEmphasisRun} in a row, {ParserLimits.MaxEmphasisPerParagraph} in all)",
                    "escape them as \\* or put the text in a code span");
            }
        }

        return null;
    }
}
