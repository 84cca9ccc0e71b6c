using System.Globalization;
using Markdig;
using Markdig.Helpers;
using Markdig.Renderers;

namespace LabOrchestrator.Guides;

/// <summary>The Markdown dialect of guides: CommonMark, pipe tables and GitHub-style alerts as knowledge boxes.</summary>
internal static class GuideMarkdown
{
    // Markdig throws past this depth instead of recursing further; MarkdownLimits refuses most deep pages before that.
    public static MarkdownPipeline Pipeline { get; } = new MarkdownPipelineBuilder { MaximumNestingDepth = 32 }
        .UsePipeTables()
        .UseAlertBlocks(WriteAlertTitle)
        .Build();

    // Markdig's default title carries an inline SVG icon; the sanitiser would strip it, and icons belong to the UI's CSS.
    private static void WriteAlertTitle(HtmlRenderer renderer, StringSlice kind)
    {
        var text = kind.ToString();
        var title = text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..].ToLower(CultureInfo.InvariantCulture);
        renderer.Write("<p class=\"markdown-alert-title\">").WriteEscape(title).WriteLine("</p>");
    }
}
