using Ganss.Xss;

namespace LabOrchestrator.Guides;

/// <summary>
/// Guides come from lab authors, not from us: raw HTML in their Markdown must not run script in a learner's
/// browser, where the page holds the learner's session. Only http, https and mailto URLs are kept (never
/// <c>javascript:</c> or <c>data:</c>), and forms and their controls are dropped: a guide must not ask for a password.
/// </summary>
internal static class GuideHtmlSanitizer
{
    private static readonly string[] FormTags =
    [
        "form", "input", "button", "select", "option", "optgroup", "textarea", "datalist", "keygen", "label", "fieldset",
        "legend", "output", "menu", "menuitem", "map", "area", "object", "embed", "iframe", "frame", "frameset", "base", "meta", "link",
    ];

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
        sanitizer.AllowedTags.ExceptWith(FormTags);
        sanitizer.AllowedAttributes.ExceptWith(["action", "formaction", "method", "enctype", "form", "autocomplete"]);
        return sanitizer;
    }
}
