using CsCheck;
using LabOrchestrator.Guides;
using LabOrchestrator.Labs;
using LabOrchestrator.Tests.Guides;

namespace LabOrchestrator.Tests.Security;

/// <summary>
/// Property tests (issue 11): random and deeply nested YAML and Markdown fed to the lab parser and the guide loader
/// never crash them and always end within the parsers' own time budget. The time bound is the cancellation token the
/// test hands in (the parsers check it between units of work): a parse that ran away would end in
/// OperationCanceledException and fail the test.
/// </summary>
public sealed class ParserFuzzTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    [Fact]
    public void LabParser_RandomAndNestedYaml_GivesAResultWithPositionsEveryTime()
    {
        HostileGen.AnyText.Sample(text =>
        {
            using var bound = Bounded();
            var result = LabParser.Parse(new LabSource(text, "lab.yaml", null), new LabPolicyOptions(), bound.Token);

            Assert.Equal(result.IsValid, result.Diagnostics.Count == 0);
            Assert.InRange(result.Diagnostics.Count, 0, 101);
            Assert.All(result.Diagnostics, d => Assert.True(d.Line >= 1 && d.Column >= 1, d.ToString()));
        }, iter: 300, threads: 1);
    }

    [Fact]
    public void LabParser_RandomYamlInsideAValidLab_GivesAResultEveryTime()
    {
        HostileGen.AnyText.Sample(text =>
        {
            using var bound = Bounded();
            var yaml = "name: demo\nnodes:\n  - name: web\n    image: busybox\n    env: " + text + "\n";

            LabParser.Parse(new LabSource(yaml, "lab.yaml", null), new LabPolicyOptions(), bound.Token);
        }, iter: 200, threads: 1);
    }

    [Fact]
    public void GuideLoader_RandomStepBodiesPagesAndManifests_GiveAResultEveryTime()
    {
        Gen.Select(HostileGen.AnyText, HostileGen.AnyText, HostileGen.Yaml).Sample((body, page, manifest) =>
        {
            using var folder = new GuideFolder();
            folder.Write("lab.yaml", "name: demo\nguide: guide\nnodes:\n  - name: linux\n    image: busybox\n")
                .Write("guide/guide.yaml", "title: T\npages: [intro.md, more.md]\nvariables: {a: " + manifest + "}\n")
                .Write("guide/intro.md", "# Intro\n\n```step id=s\n" + body + "\n```\n")
                .Write("guide/more.md", page);
            using var bound = Bounded();

            var result = LabValidator.Validate(new LabSource(File.ReadAllText(folder.File("lab.yaml")), "demo/lab.yaml", folder.Path), new LabPolicyOptions(), bound.Token);

            Assert.All(result.Diagnostics, d => Assert.True(d.Line >= 1 && d.Column >= 1 && d.File.StartsWith("demo/", StringComparison.Ordinal), d.ToString()));
        }, iter: 150, threads: 1);
    }

    [Fact]
    public void GuideRenderer_RandomMarkdownThatLoads_RendersWithoutScript()
    {
        Gen.Select(HostileGen.Markdown, HostileGen.Yaml).Sample((markdown, name) =>
        {
            using var folder = new GuideFolder();
            folder.Write("guide.yaml", "title: T\npages: [intro.md]\n").Write("intro.md", markdown);
            var loaded = GuideLoader.Load(folder.Path);
            if (!loaded.IsValid)
            {
                return;
            }

            var variables = new GuideVariables(new Dictionary<string, string> { ["user.name"] = name });
            var html = GuideRenderer.Render(loaded.Guide!.Pages[0], variables, "/api/sessions/s/guide/media/");

            GuideRendererSecurityTests.AssertHarmless(html);
        }, iter: 300, threads: 1);
    }

    private static CancellationTokenSource Bounded()
    {
        var source = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        source.CancelAfter(Bound);
        return source;
    }
}
