using System.Text;

namespace LabOrchestrator.Guides.Parsing;

/// <summary>
/// Splits the attributes after a fence's language, <c>id=make-file title="Create hello.txt"</c>, into names and
/// values. Values are bare words or double-quoted text in which <c>\"</c> stands for a quote.
/// </summary>
internal static class StepInfoString
{
    public static IReadOnlyList<KeyValuePair<string, string>> Parse(string? text, out string? error)
    {
        error = null;
        var attributes = new List<KeyValuePair<string, string>>();
        var position = 0;
        text ??= "";
        while (true)
        {
            while (position < text.Length && char.IsWhiteSpace(text[position]))
            {
                position++;
            }

            if (position >= text.Length)
            {
                return attributes;
            }

            var nameStart = position;
            while (position < text.Length && text[position] != '=' && !char.IsWhiteSpace(text[position]))
            {
                position++;
            }

            var name = text[nameStart..position];
            if (position >= text.Length || text[position] != '=')
            {
                error = $"'{name}' has no value; write attributes as name=value";
                return attributes;
            }

            position++;
            var value = new StringBuilder();
            if (position < text.Length && text[position] == '"')
            {
                position++;
                while (position < text.Length && text[position] != '"')
                {
                    if (text[position] == '\\' && position + 1 < text.Length)
                    {
                        position++;
                    }

                    value.Append(text[position++]);
                }

                if (position >= text.Length)
                {
                    error = $"the value of '{name}' has no closing quote";
                    return attributes;
                }

                position++;
            }
            else
            {
                while (position < text.Length && !char.IsWhiteSpace(text[position]))
                {
                    value.Append(text[position++]);
                }
            }

            attributes.Add(new(name, value.ToString()));
        }
    }
}
