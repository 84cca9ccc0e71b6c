using LabOrchestrator.Guides.Parsing;
using Markdig.Renderers;
using Markdig.Renderers.Html;
using Markdig.Syntax;

namespace LabOrchestrator.Guides;

/// <summary>
/// Renders steps as placeholders the UI fills in, and code blocks with their language and, for <c>run=NODE</c>,
/// the node whose terminal a click types the command into; for <c>desktop=NODE</c>, the node whose desktop clipboard
/// a click pastes the text into.
/// </summary>
internal sealed class GuideCodeBlockRenderer : HtmlObjectRenderer<CodeBlock>
{
    protected override void Write(HtmlRenderer renderer, CodeBlock obj)
    {
        var fenced = obj as FencedCodeBlock;
        var language = fenced?.Info ?? "";
        var attributes = StepInfoString.Parse(fenced?.Arguments, out _).ToDictionary(a => a.Key, a => a.Value);
        if (language == StepReader.FenceLanguage)
        {
            renderer.Write("<div class=\"guide-step\" data-step=\"").WriteEscape(attributes.GetValueOrDefault("id", "")).Write('"');
            if (attributes.TryGetValue("title", out var title))
            {
                renderer.Write(" data-title=\"").WriteEscape(title).Write('"');
            }

            renderer.WriteLine("></div>");
            return;
        }

        renderer.Write("<pre class=\"guide-code\"");
        if (language.Length > 0)
        {
            renderer.Write(" data-language=\"").WriteEscape(language).Write('"');
        }

        if (attributes.TryGetValue("run", out var node) && node.Length > 0)
        {
            renderer.Write(" data-run-node=\"").WriteEscape(node).Write('"');
        }

        if (attributes.TryGetValue("desktop", out var desktop) && desktop.Length > 0)
        {
            renderer.Write(" data-desktop-node=\"").WriteEscape(desktop).Write('"');
        }

        renderer.Write("><code");
        if (language.Length > 0)
        {
            renderer.Write(" class=\"language-").WriteEscape(language).Write('"');
        }

        renderer.Write('>');
        renderer.WriteLeafRawLines(obj, true, true);
        renderer.WriteLine("</code></pre>");
    }
}
