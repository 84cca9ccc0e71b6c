using LabOrchestrator.Guides;
using LabOrchestrator.Tests.Support;

namespace LabOrchestrator.Tests.Guides;

public sealed class GuideMediaTests : IDisposable
{
    private readonly TempDirectory root = new();
    private readonly string guide;

    public GuideMediaTests()
    {
        guide = Directory.CreateDirectory(Path.Combine(root.Path, "guide")).FullName;
        Directory.CreateDirectory(Path.Combine(guide, "img"));
        File.WriteAllText(Path.Combine(guide, "img", "net.svg"), "<svg/>");
        File.WriteAllText(Path.Combine(guide, "photo.JPG"), "jpg");
        File.WriteAllText(Path.Combine(guide, "run.sh"), "#!/bin/sh");
        File.WriteAllText(Path.Combine(guide, ".hidden.png"), "png");
        File.WriteAllText(Path.Combine(root.Path, "secret.png"), "secret");
    }

    public void Dispose() => root.Dispose();

    [Theory]
    [InlineData("img/net.svg", "image/svg+xml", true)]
    [InlineData("photo.JPG", "image/jpeg", false)]
    public void Resolve_FileInTheGuide_GivesItsPathAndContentType(string path, string type, bool active)
    {
        var file = GuideMedia.Resolve(guide, path, out var problem);

        Assert.Null(problem);
        Assert.Equal(Path.Combine(guide, path), file!.FullPath);
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
    [InlineData("run.sh")]
    [InlineData("missing.png")]
    public void Resolve_PathOutsideOrNotServable_IsRefused(string path)
    {
        Assert.Null(GuideMedia.Resolve(guide, path, out var problem));
        Assert.NotNull(problem);
    }

    [Fact]
    public void Resolve_SymlinkLeavingTheFolder_IsRefused()
    {
        File.CreateSymbolicLink(Path.Combine(guide, "escape.png"), Path.Combine(root.Path, "secret.png"));
        Directory.CreateSymbolicLink(Path.Combine(guide, "outside"), root.Path);

        Assert.Null(GuideMedia.Resolve(guide, "escape.png", out var fileProblem));
        Assert.Contains("leaves the guide folder", fileProblem);
        Assert.Null(GuideMedia.Resolve(guide, "outside/secret.png", out var folderProblem));
        Assert.Contains("leaves the guide folder", folderProblem);
    }

    [Fact]
    public void Resolve_SymlinkInsideTheFolder_IsFollowed()
    {
        File.CreateSymbolicLink(Path.Combine(guide, "alias.svg"), Path.Combine(guide, "img", "net.svg"));

        var file = GuideMedia.Resolve(guide, "alias.svg", out _);

        Assert.Equal(Path.Combine(guide, "img", "net.svg"), file!.FullPath);
    }
}
