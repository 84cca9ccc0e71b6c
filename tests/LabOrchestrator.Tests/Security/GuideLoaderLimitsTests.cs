using LabOrchestrator.Guides;
using LabOrchestrator.Labs;
using LabOrchestrator.Tests.Guides;

namespace LabOrchestrator.Tests.Security;

/// <summary>
/// Hostile guides (issue 11, finding 2): the step body with 100,000 nested '[' that killed the server, its variants,
/// and deeply nested Markdown, are refused with file:line:column diagnostics instead of overflowing the stack.
/// </summary>
public sealed class GuideLoaderLimitsTests : IDisposable
{
    private readonly GuideFolder folder = new();

    public void Dispose() => folder.Dispose();

    public static TheoryData<string> NestedYamlShapes => [.. HostileText.NestedYaml().Select(s => s.Name)];

    public static TheoryData<string> NestedMarkdownShapes => [.. HostileText.NestedMarkdown().Select(s => s.Name)];

    [Theory]
    [MemberData(nameof(NestedYamlShapes))]
    public void Load_StepBodyNestedHundredThousandDeep_IsRefusedAtItsLine(string shape)
    {
        var body = HostileText.NestedYaml().Single(s => s.Name == shape).Yaml;
        folder.Write("guide.yaml", "title: T\npages: [intro.md]\n")
            .Write("intro.md", $"# Intro\n\n```step id=deep\nhints: {body}\n```\n");

        var result = GuideLoader.Load(folder.Path, ["linux"]);

        Assert.False(result.IsValid);
        var problem = Assert.Single(result.Diagnostics);
        // Refused where it is (the step body on line 4), or, when it is too large for that, at the page in guide.yaml.
        Assert.True(
            (problem.File == folder.File("intro.md") && problem.Line == 4 && problem.Message.Contains("the body of step 'deep'", StringComparison.Ordinal))
            || (problem.File == folder.File("guide.yaml") && problem.Message.Contains("larger than", StringComparison.Ordinal)),
            problem.ToString());
    }

    [Theory]
    [MemberData(nameof(NestedYamlShapes))]
    public void Load_ManifestNestedHundredThousandDeep_IsRefused(string shape)
    {
        folder.Write("guide.yaml", "title: T\npages: [intro.md]\nvariables: " + HostileText.NestedYaml().Single(s => s.Name == shape).Yaml)
            .Write("intro.md", "# Intro\n");

        var problem = Assert.Single(GuideLoader.Load(folder.Path).Diagnostics);

        Assert.Equal(folder.File("guide.yaml"), problem.File);
        Assert.True(problem.Line >= 1 && problem.Column >= 1, problem.ToString());
    }

    [Fact]
    public void Load_StepBodyWithBillionLaughs_IsRefusedForItsAliases()
    {
        folder.Write("guide.yaml", "title: T\npages: [intro.md]\n")
            .Write("intro.md", "```step id=lol\n" + HostileText.BillionLaughs() + "```\n");

        var problem = Assert.Single(GuideLoader.Load(folder.Path).Diagnostics);

        Assert.Contains("Anchors and aliases", problem.Message, StringComparison.Ordinal);
        Assert.Equal(2, problem.Line);
    }

    [Theory]
    [MemberData(nameof(NestedMarkdownShapes))]
    public void Load_DeeplyNestedMarkdown_IsRefusedWithItsPosition(string shape)
    {
        var markdown = HostileText.NestedMarkdown().Single(s => s.Name == shape).Markdown;
        folder.Write("guide.yaml", "title: T\npages: [intro.md]\n").Write("intro.md", "# Intro\n\n" + markdown);

        var problem = Assert.Single(GuideLoader.Load(folder.Path).Diagnostics);

        Assert.True(
            (problem.File == folder.File("intro.md") && problem.Line >= 3 && problem.Column >= 1)
            || (problem.File == folder.File("guide.yaml") && problem.Message.Contains("larger than", StringComparison.Ordinal)),
            problem.ToString());
        Assert.True(problem.Column >= 1, problem.ToString());
    }

    [Theory]
    [InlineData("> > > quoted\n", true)]
    [InlineData("- a\n  - b\n    - c\n      - d\n", true)]
    [InlineData("**bold** and _em_ and [link](https://example.org) and ![img](https://example.org/x.png)\n", true)]
    [InlineData("* * *\n\n________________________________________\n", true)]
    [InlineData("```\n" + "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[\n```\n", true)]
    [InlineData("\\[ escaped \\[ brackets \\[\n", true)]
    public void Load_OrdinaryMarkdown_IsNotRefusedByTheNestingCheck(string markdown, bool valid)
    {
        folder.Write("guide.yaml", "title: T\npages: [intro.md]\n").Write("intro.md", "# Intro\n\n" + markdown);

        Assert.Equal(valid, GuideLoader.Load(folder.Path).IsValid);
    }

    [Fact]
    public void Load_PageLargerThanTheLimit_IsRefusedAtTheManifest()
    {
        folder.Write("guide.yaml", "title: T\npages: [intro.md]\n").Write("intro.md", new string('x', 300 * 1024));

        var problem = Assert.Single(GuideLoader.Load(folder.Path).Diagnostics);

        Assert.Equal("pages", problem.Path);
        Assert.Contains("larger than 262144 bytes", problem.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("![net](net.svg)", "it is not in the guide's media/ folder")]
    [InlineData("![net](../secret.png)", "it is not in the guide's media/ folder")]
    [InlineData("![net](media/missing.png)", "there is no file 'missing.png'")]
    [InlineData("![page](media/notes.md)", "is not a file type guides may serve")]
    public void Load_ImageOutsideTheMediaFolder_IsRefusedAtTheImage(string image, string expected)
    {
        folder.Write("guide.yaml", "title: T\npages: [intro.md]\n").Write("intro.md", "# Intro\n\nSee " + image + "\n")
            .Write("media/notes.md", "x").Write("net.svg", "<svg/>");

        var problem = Assert.Single(GuideLoader.Load(folder.Path).Diagnostics);

        Assert.Equal(3, problem.Line);
        Assert.Contains(expected, problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_LabWithBadGuide_ReportsTheGuideFileRelativeToTheLab()
    {
        folder.Write("lab.yaml", "name: demo\nguide: guide\nnodes:\n  - name: linux\n    image: busybox\n")
            .Write("guide/guide.yaml", "title: T\npages: [intro.md]\n")
            .Write("guide/intro.md", "# Intro\n\n```step id=deep\nhints: " + HostileText.Repeat("[", HostileText.Deep) + "\n```\n");

        var result = LabValidator.Validate(new LabSource(File.ReadAllText(folder.File("lab.yaml")), "demo/lab.yaml", folder.Path), new LabPolicyOptions(), TestContext.Current.CancellationToken);

        Assert.False(result.IsValid);
        var problem = Assert.Single(result.Diagnostics);
        Assert.StartsWith("demo/guide/intro.md:4:", problem.ToString(), StringComparison.Ordinal);
    }
}
