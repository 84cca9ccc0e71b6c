using LabOrchestrator.Guides;

namespace LabOrchestrator.Tests.Guides;

public sealed class GuideLoaderTests : IDisposable
{
    private const string Manifest = """
        title: Hello
        pages: [intro.md, files.md]
        variables:
          home: /home/learner
        """;

    private const string Files = """
        # Files and folders

        Text.

        ```step id=make-file title="Create hello.txt"
        check:
          node: linux
          script: |
            test -f /tmp/hello.txt || echo "FAIL: no file"
          timeout: 10s
        solve:
          node: linux
          script: echo hi > /tmp/hello.txt
        hints:
          - Use echo with a redirection.
        ```
        """;

    private readonly GuideFolder folder = new();

    public void Dispose() => folder.Dispose();

    [Fact]
    public void Load_ValidGuide_ReadsPagesStepsAndVariables()
    {
        folder.Write("guide.yaml", Manifest)
            .Write("intro.md", "No heading here.\n\n```step id=read-intro\n```\n")
            .Write("files.md", Files);

        var guide = GuideLoader.Load(folder.Path, ["linux"]).GetGuideOrThrow();

        Assert.Equal("Hello", guide.Title);
        Assert.Equal(["intro", "files"], guide.Pages.Select(p => p.Name));
        Assert.Equal("intro", guide.Pages[0].Title);
        Assert.Equal("Files and folders", guide.Pages[1].Title);
        Assert.Equal("/home/learner", guide.Variables["home"]);

        var manual = Assert.Single(guide.Pages[0].Steps);
        Assert.Equal("intro/read-intro", manual.Reference);
        Assert.Null(manual.Check);

        var step = Assert.Single(guide.Pages[1].Steps);
        Assert.Equal("make-file", step.Id);
        Assert.Equal("Create hello.txt", step.Title);
        Assert.Equal(5, step.Line);
        Assert.Equal(new GuideScript("linux", "test -f /tmp/hello.txt || echo \"FAIL: no file\"\n", TimeSpan.FromSeconds(10)), step.Check);
        Assert.Equal(GuideScript.DefaultTimeout, step.Solve!.Timeout);
        Assert.Equal(["Use echo with a redirection."], step.Hints);
    }

    /// <summary>Every example lab under labs/, so a new one is covered without touching this test.</summary>
    public static TheoryData<string> ExampleLabs() =>
        new(Directory.GetDirectories(Path.Combine(RepositoryRoot.Path, "labs")).Select(Path.GetFileName).Order(StringComparer.Ordinal)!);

    [Theory]
    [MemberData(nameof(ExampleLabs))]
    public void Load_ExampleLabGuides_AreValidWithCheckedAndSolvedSteps(string lab)
    {
        var result = GuideLoader.Load(Path.Combine(RepositoryRoot.Path, "labs", lab, "guide"));

        Assert.True(result.IsValid, string.Join("\n", result.Diagnostics));
        Assert.True(result.Guide!.Pages.Count >= 2);
        Assert.All(result.Guide.Steps.Where(s => s.Check is not null), s => Assert.NotNull(s.Solve));
    }

    [Fact]
    public void Load_NoManifest_SaysSo()
    {
        var problem = Assert.Single(GuideLoader.Load(folder.Path).Diagnostics);

        Assert.Equal($"{folder.File("guide.yaml")}:1:1: error: the guide folder has no guide.yaml (add one with a title and the list of pages)", problem.ToString());
    }

    [Fact]
    public void Load_ManifestProblems_ReportedWithTheirLines()
    {
        folder.Write("guide.yaml", """
            pages:
              - intro.md
              - missing.md
              - ../secret.md
              - notes.txt
            colour: blue
            """).Write("intro.md", "# Intro\n");

        var problems = GuideLoader.Load(folder.Path).Diagnostics.Select(d => d.ToString().Replace(folder.Path + "/", "")).ToList();

        Assert.Equal(new List<string>
        {
            "guide.yaml:3:5: error: pages: there is no file 'missing.md' in the guide folder",
            "guide.yaml:4:5: error: pages: '../secret.md' leaves the guide folder or names a hidden file",
            "guide.yaml:5:5: error: pages[3]: 'notes.txt' is not a Markdown file (pages end in .md)",
            "guide.yaml:6:1: error: colour: is not a known field (known fields: title, pages, variables)",
            "guide.yaml:1:1: error: title: is missing (add title: followed by the guide's title)",
        }.Order(StringComparer.Ordinal), problems.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Load_StepProblems_ReportedAtTheirLineInThePage()
    {
        folder.Write("guide.yaml", "title: T\npages: [page.md]\n").Write("page.md", """
            # Page

            ```step id=one
            check:
              node: windows
              script: "true"
              timeout: forever
            solve:
              script: "true"
            ```

            ```step id=one
            ```

            ```step title="No id"
            ```

            ```step id=bad-yaml
            check:
              node: linux
              script: test -f /tmp/x || echo "FAIL: no file"
            ```
            """);

        var problems = GuideLoader.Load(folder.Path, ["linux"]).Diagnostics
            .OrderBy(d => d.Line).ThenBy(d => d.Column)
            .Select(d => d.ToString().Replace(folder.Path + "/", ""))
            .ToList();

        Assert.Equal(6, problems.Count);
        Assert.Equal(
        [
            "page.md:5:9: error: check.node: the lab has no node 'windows' (nodes of the lab: linux)",
            "page.md:7:12: error: check.timeout: 'forever' is not a duration (write it like 10s, 2m or 1m30s)",
            "page.md:9:3: error: solve: has no node (name the node the script runs in, e.g. node: linux)",
            "page.md:12:1: error: step: id 'one' is used by another step (give every step of the guide its own id)",
            "page.md:15:1: error: step: has no id (give it one of lowercase letters, digits and dashes, e.g. ```step id=make-file)",
        ], problems.Take(5));
        Assert.StartsWith("page.md:21:", problems[5]);
        Assert.Contains("the body of step 'bad-yaml' is not valid YAML", problems[5]);
        Assert.EndsWith("(quote a value that contains ': ', or write the script as a block: script: | on its own line, the script indented below)", problems[5]);
    }
}
