using AngleSharp.Dom;
using AngleSharp.Html.Parser;

namespace LabOrchestrator.Guides;

/// <summary>
/// Puts a session's variables into a rendered page before it is sanitised, each encoded for where it lands: text as
/// text, an attribute value as that value, a URL attribute percent-encoded so that a value can never become a
/// <c>javascript:</c> URL or leave the URL. The sanitiser then sees the values as they will be shown, so nothing a
/// learner controls (a display name) can add markup, attributes or URLs to the guide an instructor reads.
/// </summary>
internal static class GuideHtmlVariables
{
    private static readonly HashSet<string> UrlAttributes = new(StringComparer.OrdinalIgnoreCase)
    {
        "href", "src", "srcset", "action", "formaction", "poster", "cite", "background", "longdesc", "usemap", "xlink:href", "data", "ping", "lowsrc", "dynsrc",
    };

    private static readonly HtmlParser Parser = new();

    public static string Substitute(string html, GuideVariables variables)
    {
        if (!html.Contains("{{", StringComparison.Ordinal) && !html.Contains("%7B%7B", StringComparison.OrdinalIgnoreCase))
        {
            return html;
        }

        var document = Parser.ParseDocument("<!DOCTYPE html><html><body></body></html>");
        var body = document.Body!;
        body.InnerHtml = html;
        foreach (var node in body.Descendants().ToList())
        {
            switch (node)
            {
                case IText text:
                    text.Data = variables.Substitute(text.Data);
                    break;
                case IElement element:
                    foreach (var attribute in element.Attributes.ToList())
                    {
                        var value = UrlAttributes.Contains(attribute.Name)
                            ? variables.Substitute(Unescaped(attribute.Value), Uri.EscapeDataString)
                            : variables.Substitute(attribute.Value);
                        if (value != attribute.Value)
                        {
                            element.SetAttribute(attribute.Name, value);
                        }
                    }

                    break;
            }
        }

        return body.InnerHtml;
    }

    // Markdig percent-encodes the braces of a variable inside a link's URL; the name itself is plain ASCII.
    private static string Unescaped(string url) =>
        url.Replace("%7B%7B", "{{", StringComparison.OrdinalIgnoreCase).Replace("%7D%7D", "}}", StringComparison.OrdinalIgnoreCase);
}
