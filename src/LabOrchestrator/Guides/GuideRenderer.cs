using Markdig;
using Markdig.Renderers;
using Markdig.Renderers.Html;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace LabOrchestrator.Guides;

/// <summary>Turns a guide page into sanitised HTML for one session.</summary>
public static class GuideRenderer
{
    /// <summary>
    /// Renders <paramref name="page"/>. Relative image paths are prefixed with <paramref name="mediaBaseUrl"/> (e.g.
    /// <c>/api/labs/hello-linux/guide/media/</c>) so that the browser fetches them through the media endpoint.
    /// </summary>
    public static string Render(GuidePage page, GuideVariables variables, string? mediaBaseUrl = null)
    {
        var document = Markdown.Parse(page.Markdown, GuideMarkdown.Pipeline);
        if (mediaBaseUrl is not null)
        {
            PrefixMedia(document, mediaBaseUrl);
        }

        using var writer = new StringWriter();
        var renderer = new HtmlRenderer(writer);
        GuideMarkdown.Pipeline.Setup(renderer);
        renderer.ObjectRenderers.Replace<CodeBlockRenderer>(new GuideCodeBlockRenderer());
        renderer.Render(document);
        writer.Flush();

        // Substitution comes last, on sanitised HTML, and escapes what it inserts: values cannot add markup.
        return variables.SubstituteInHtml(GuideHtmlSanitizer.Sanitize(writer.ToString()));
    }

    private static void PrefixMedia(MarkdownDocument document, string mediaBaseUrl)
    {
        var prefix = mediaBaseUrl.EndsWith('/') ? mediaBaseUrl : mediaBaseUrl + "/";
        foreach (var link in document.Descendants<LinkInline>().Where(l => l.IsImage && l.Url is not null))
        {
            if (GuideMedia.Check(link.Url!) is null && !link.Url!.Contains("{{", StringComparison.Ordinal))
            {
                link.Url = prefix + link.Url;
            }
        }
    }
}
