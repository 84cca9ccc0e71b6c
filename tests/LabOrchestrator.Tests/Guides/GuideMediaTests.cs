using LabOrchestrator.Guides;
using LabOrchestrator.Tests.Support;

namespace LabOrchestrator.Tests.Guides;

/// <summary>Media is served from the guide's media/ folder only, for an allow-list of types (finding 7 of issue 11).</summary>
public sealed class GuideMediaTests : IDisposable
{
    private readonly TempDirectory root = new();
    private readonly string guide;

    public GuideMediaTests()
    {
        guide = Directory.CreateDirectory(Path.Combine(root.Path, "guide")).FullName;
        var media = Directory.CreateDirectory(Path.Combine(guide, "media")).FullName;
        Directory.CreateDirectory(Path.Combine(media, "img"));
        File.WriteAllText(Path.Combine(media, "img", "net.svg"), "<svg/>");
        File.WriteAllText(Path.Combine(media, "photo.JPG"), "jpg");
        File.WriteAllText(Path.Combine(media, "run.sh"), "#!/bin/sh");
        File.WriteAllText(Path.Combine(media, "notes.md"), "solve: rm -rf");
        File.WriteAllText(Path.Combine(media, "NOTES.MD"), "solve: rm -rf");
        File.WriteAllText(Path.Combine(media, "steps.yaml"), "check: x");
        File.WriteAllText(Path.Combine(media, ".hidden.png"), "png");
        File.WriteAllText(Path.Combine(guide, "intro.md"), "```step id=x\nsolve: {node: a, script: secret}\n```");
        File.WriteAllText(Path.Combine(guide, "guide.yaml"), "title: x");
        File.WriteAllText(Path.Combine(guide, "diagram.png"), "png outside media");
        File.WriteAllText(Path.Combine(root.Path, "secret.png"), "secret");
    }

    public void Dispose() => root.Dispose();

    [Theory]
    [InlineData("img/net.svg", "image/svg+xml", true)]
    [InlineData("photo.JPG", "image/jpeg", false)]
    public void Resolve_FileInTheMediaFolder_GivesItsPathAndContentType(string path, string type, bool active)
    {
        var file = GuideMedia.Resolve(guide, path, out var problem);

        Assert.Null(problem);
        Assert.Equal(Path.Combine(guide, "media", path), file!.FullPath);
        Assert.Equal(type, file.ContentType);
        Assert.Equal(active, file.IsActive);
    }

    [Theory]
    [InlineData("../secret.png")]
    [InlineData("img/../../secret.png")]
    [InlineData("/etc/passwd")]
    [InlineData("img\\..\\..\\secret.png")]
    [InlineData("C:/secret.png")]
    [InlineData(".hidden.png")]
    [InlineData("img//net.svg")]
    [InlineData("")]
    [InlineData("missing.png")]
    public void Resolve_PathOutsideTheMediaFolder_IsRefused(string path)
    {
        Assert.Null(GuideMedia.Resolve(guide, path, out var problem));
        Assert.NotNull(problem);
    }

    [Theory]
    [InlineData("run.sh")]
    [InlineData("notes.md")]
    [InlineData("NOTES.MD")]
    [InlineData("steps.yaml")]
    [InlineData("../intro.md")]
    [InlineData("../guide.yaml")]
    [InlineData("../diagram.png")]
    [InlineData("..%2Fintro.md")]
    [InlineData("%2E%2E/intro.md")]
    [InlineData("notes.md%00.png")]
    [InlineData("notes.md\0.png")]
    public void Resolve_PagesScriptsAndFilesOutsideMedia_AreNeverServed(string path)
    {
        Assert.Null(GuideMedia.Resolve(guide, path, out var problem));
        Assert.NotNull(problem);
    }

    [Fact]
    public void Resolve_SymlinkLeavingTheMediaFolder_IsRefused()
    {
        var media = Path.Combine(guide, "media");
        File.CreateSymbolicLink(Path.Combine(media, "escape.png"), Path.Combine(root.Path, "secret.png"));
        File.CreateSymbolicLink(Path.Combine(media, "page.png"), Path.Combine(guide, "intro.md"));
        Directory.CreateSymbolicLink(Path.Combine(media, "outside"), root.Path);

        Assert.Null(GuideMedia.Resolve(guide, "escape.png", out var fileProblem));
        Assert.Contains("leaves the guide folder", fileProblem);
        Assert.Null(GuideMedia.Resolve(guide, "page.png", out var pageProblem));
        Assert.Contains("leaves the guide folder", pageProblem);
        Assert.Null(GuideMedia.Resolve(guide, "outside/secret.png", out var folderProblem));
        Assert.Contains("leaves the guide folder", folderProblem);
    }

    [Fact]
    public void Resolve_SymlinkInsideTheMediaFolder_IsFollowed()
    {
        File.CreateSymbolicLink(Path.Combine(guide, "media", "alias.svg"), Path.Combine(guide, "media", "img", "net.svg"));

        var file = GuideMedia.Resolve(guide, "alias.svg", out _);

        Assert.Equal(Path.Combine(guide, "media", "img", "net.svg"), file!.FullPath);
    }
}
