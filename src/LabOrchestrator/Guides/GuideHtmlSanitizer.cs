using Ganss.Xss;

namespace LabOrchestrator.Guides;

/// <summary>
/// Guides come from lab authors, not from us: raw HTML in their Markdown must not run script in a learner's
/// browser, where the page holds the learner's session.
/// </summary>
internal static class GuideHtmlSanitizer
{
    private static readonly HtmlSanitizer Sanitizer = Create();

    public static string Sanitize(string html) => Sanitizer.Sanitize(html);

    private static HtmlSanitizer Create()
    {
        var sanitizer = new HtmlSanitizer { AllowDataAttributes = true };
        sanitizer.AllowedSchemes.Clear();
        sanitizer.AllowedSchemes.UnionWith(["http", "https", "mailto"]);
        sanitizer.AllowedAttributes.UnionWith(["class", "id", "aria-hidden"]);
        sanitizer.AllowedAttributes.Remove("style");
        sanitizer.AllowedTags.UnionWith(["video", "audio", "source", "details", "summary"]);
        sanitizer.AllowedAttributes.UnionWith(["controls", "open"]);
        return sanitizer;
    }
}
