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
    /// Renders <paramref name="page"/>. Images in the guide's <c>media/</c> folder (<c>media/net.svg</c>) point at
    /// <paramref name="mediaBaseUrl"/> (<c>/api/sessions/ID/guide/media/net.svg</c>), the endpoint that serves that folder.
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

        // Values go in first, encoded for where they land, so that the sanitiser judges the page as it is shown.
        return GuideHtmlSanitizer.Sanitize(GuideHtmlVariables.Substitute(writer.ToString(), variables));
    }

    private static void PrefixMedia(MarkdownDocument document, string mediaBaseUrl)
    {
        var prefix = mediaBaseUrl.EndsWith('/') ? mediaBaseUrl : mediaBaseUrl + "/";
        foreach (var link in document.Descendants<LinkInline>().Where(l => l.IsImage && l.Url is not null))
        {
            if (GuideMedia.MediaPathOf(link.Url!) is { } media && GuideMedia.Check(media) is null && !media.Contains("{{", StringComparison.Ordinal))
            {
                link.Url = prefix + media;
            }
        }
    }
}
