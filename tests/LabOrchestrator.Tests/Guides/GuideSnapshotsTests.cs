using LabOrchestrator.Guides;
using LabOrchestrator.Labs;
using LabOrchestrator.Tests.Support;

namespace LabOrchestrator.Tests.Guides;

/// <summary>Guide snapshots in a real SQLite file: what a session keeps of its lab's guide folder.</summary>
public sealed class GuideSnapshotsTests : IDisposable
{
    private readonly TempDirectory temp = new();
    private readonly GuideFolder lab = new();
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose()
    {
        lab.Dispose();
        temp.Dispose();
    }

    private StoredLab Stored(DateTimeOffset updatedAt) => new()
    {
        SourceYaml = "name: demo",
        SourceFile = "lab.yaml",
        SourceDirectory = lab.Path,
        Definition = new LabDefinition { Name = "demo", Nodes = [], Guide = "guide/" },
        UpdatedAt = updatedAt,
    };

    [Fact]
    public async Task Capture_KeepsTheFolderAsItWas_AndTheSameContentIsStoredOnce()
    {
        await using var host = await LibraryHost.StartAsync(temp.File("store.db"));
        var snapshots = host.Get<GuideSnapshots>();
        lab.Write("guide/guide.yaml", "title: Demo\npages: [index.md]\n").Write("guide/index.md", "# One").Write("guide/media/a.svg", "<svg/>");

        var first = await snapshots.CaptureAsync(Stored(DateTimeOffset.UnixEpoch), Ct);
        lab.Write("guide/index.md", "# Two");
        var edited = await snapshots.CaptureAsync(Stored(DateTimeOffset.UnixEpoch.AddMinutes(1)), Ct);
        lab.Write("guide/index.md", "# One");
        File.SetLastWriteTimeUtc(lab.File("guide/index.md"), DateTime.UtcNow.AddDays(-3));
        var sameAgain = await snapshots.CaptureAsync(Stored(DateTimeOffset.UnixEpoch.AddMinutes(2)), Ct);
        Directory.Delete(lab.Path, recursive: true);

        Assert.NotNull(first);
        Assert.NotEqual(first, edited);
        Assert.Equal(first, sameAgain);
        var folder = await snapshots.FolderAsync(first!, Ct);
        Assert.Equal("# One", await File.ReadAllTextAsync(Path.Combine(folder!, "index.md"), Ct));
        Assert.Equal("<svg/>", await File.ReadAllTextAsync(Path.Combine(folder!, "media", "a.svg"), Ct));
        Assert.Equal("# Two", await File.ReadAllTextAsync(Path.Combine((await snapshots.FolderAsync(edited!, Ct))!, "index.md"), Ct));
        Assert.Null(await snapshots.FolderAsync(new string('0', 64), Ct));
    }

    [Fact]
    public async Task Capture_LeavesOutLinks_SoNothingOutsideTheGuideFolderIsKept()
    {
        await using var host = await LibraryHost.StartAsync(temp.File("store.db"));
        var snapshots = host.Get<GuideSnapshots>();
        var secret = temp.File("secret.txt");
        await File.WriteAllTextAsync(secret, "host secret", Ct);
        lab.Write("guide/guide.yaml", "title: Demo\npages: [index.md]\n").Write("guide/index.md", "# One");
        File.CreateSymbolicLink(lab.File("guide/leak.txt"), secret);
        Directory.CreateSymbolicLink(lab.File("guide/etc"), "/etc");

        var hash = await snapshots.CaptureAsync(Stored(DateTimeOffset.UnixEpoch), Ct);
        var folder = await snapshots.FolderAsync(hash!, Ct);

        Assert.Equal(["guide.yaml", "index.md"], Directory.EnumerateFileSystemEntries(folder!).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Capture_LabWithoutGuide_KeepsNothing()
    {
        await using var host = await LibraryHost.StartAsync(temp.File("store.db"));

        var hash = await host.Get<GuideSnapshots>().CaptureAsync(Stored(DateTimeOffset.UnixEpoch) with { Definition = new LabDefinition { Name = "demo", Nodes = [] } }, Ct);

        Assert.Null(hash);
    }
}
