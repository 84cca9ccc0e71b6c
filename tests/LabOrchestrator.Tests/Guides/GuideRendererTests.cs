using LabOrchestrator.Guides;

namespace LabOrchestrator.Tests.Guides;

public sealed class GuideRendererTests
{
    [Fact]
    public void Render_AlertsTablesAndHeadings_BecomeKnowledgeBoxesAndHtml()
    {
        var html = Render("""
            # Title

            > [!WARNING]
            > Careful now.

            | A | B |
            |---|---|
            | 1 | 2 |
            """);

        Assert.Contains("<h1>Title</h1>", html);
        Assert.Contains("<div class=\"markdown-alert markdown-alert-warning\">", html);
        Assert.Contains("<p class=\"markdown-alert-title\">Warning</p>", html);
        Assert.Contains("<p>Careful now.</p>", html);
        Assert.Contains("<td>1</td>", html);
    }

    [Fact]
    public void Render_RunCodeBlock_CarriesNodeAndLanguage()
    {
        var html = Render("```bash run=linux\nls <dir>\n```\n\n```\nplain\n```\n");

        Assert.Contains("<pre class=\"guide-code\" data-language=\"bash\" data-run-node=\"linux\"><code class=\"language-bash\">ls &lt;dir&gt;\n</code></pre>", html);
        Assert.Contains("<pre class=\"guide-code\"><code>plain\n</code></pre>", html);
    }

    [Fact]
    public void Render_DesktopCodeBlock_CarriesTheDesktopNode()
    {
        var html = Render("```text desktop=workstation run=workstation\nHello \"desktop\"\n```\n");

        Assert.Contains("<pre class=\"guide-code\" data-language=\"text\" data-run-node=\"workstation\" data-desktop-node=\"workstation\"><code class=\"language-text\">", html);
        Assert.Contains("Hello \"desktop\"\n</code></pre>", html.Replace("&quot;", "\"", StringComparison.Ordinal));
    }

    [Fact]
    public void Render_Step_BecomesPlaceholderWithoutItsScripts()
    {
        var html = Render("```step id=make-file title=\"Make <it>\"\ncheck:\n  node: linux\n  script: secret-check\n```\n");

        Assert.Equal("<div class=\"guide-step\" data-step=\"make-file\" data-title=\"Make &lt;it&gt;\"></div>", html.Trim());
        Assert.DoesNotContain("secret-check", html);
    }

    [Theory]
    [InlineData("<script>alert(1)</script>Hi", "<script")]
    [InlineData("<img src=\"x.png\" onerror=\"alert(1)\">", "onerror")]
    [InlineData("[click](javascript:alert(1))", "javascript:")]
    [InlineData("<a href=\"javascript:alert(1)\">x</a>", "javascript:")]
    [InlineData("<a href=\"JaVaScRiPt&#58;alert(1)\">x</a>", "alert")]
    [InlineData("<div onclick=\"alert(1)\">x</div>", "onclick")]
    [InlineData("<iframe src=\"https://evil.example\"></iframe>", "iframe")]
    [InlineData("<svg><script>alert(1)</script></svg>", "script")]
    public void Render_ScriptInjection_IsNeutralised(string markdown, string forbidden)
    {
        var html = Render(markdown);

        Assert.DoesNotContain(forbidden, html, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Render_SafeLinksAndImages_AreKept_AndRelativeImagesPointAtTheMediaEndpoint()
    {
        var html = Render("[docs](https://example.org) ![diagram](media/img/net.svg) ![far](https://example.org/x.png)", mediaBaseUrl: "/api/labs/demo/guide/media");

        Assert.Contains("<a href=\"https://example.org\">docs</a>", html);
        Assert.Contains("<img src=\"/api/labs/demo/guide/media/img/net.svg\" alt=\"diagram\">", html);
        Assert.Contains("<img src=\"https://example.org/x.png\" alt=\"far\">", html);
    }

    [Fact]
    public void Render_Variables_AreSubstitutedEscaped_AndUnknownOnesStay()
    {
        var variables = new GuideVariables(new Dictionary<string, string> { ["user.name"] = "<b>Eve</b>", ["home"] = "/home/eve" });

        var html = Render("Hi {{ user.name }}, go to `{{home}}`. {{ nodes.nope.host }}", variables);

        Assert.Contains("Hi &lt;b&gt;Eve&lt;/b&gt;, go to <code>/home/eve</code>. {{ nodes.nope.host }}", html);
    }

    private static string Render(string markdown, GuideVariables? variables = null, string? mediaBaseUrl = null)
    {
        var page = new GuidePage { Name = "page", FileName = "page.md", Title = "page", Markdown = markdown };
        return GuideRenderer.Render(page, variables ?? GuideVariables.Empty, mediaBaseUrl);
    }
}
