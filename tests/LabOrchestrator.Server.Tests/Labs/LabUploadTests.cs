using System.Formats.Tar;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using LabOrchestrator.Server.Accounts;
using LabOrchestrator.Server.Tests.Support;

namespace LabOrchestrator.Server.Tests.Labs;

public sealed class LabUploadTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Upload_TarGzWithTopFolder_StoresLabWithItsGuide()
    {
        await using var server = await ServerHost.StartAsync(cancellationToken: Ct);
        var (instructor, _) = await server.UserAsync("ines", Roles.Instructor, Ct);
        var archive = LabArchives.TarGz(LabArchives.FromFolder(RepositoryRoot.Lab("two-hosts"), "two-hosts/"));

        var response = await instructor.PostAsync("/api/labs", LabArchives.Upload(archive, "two-hosts.tar.gz"), Ct);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var lab = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal("two-hosts", lab.GetProperty("name").GetString());
        Assert.True(lab.GetProperty("hasGuide").GetBoolean());
        Assert.True(File.Exists(Path.Combine(LabsApi.LabsFolder(server), "two-hosts", "guide", "guide.yaml")));
    }

    [Fact]
    public async Task Upload_ZipAtRoot_StoresLab_AndReplacesItOnSecondUpload()
    {
        await using var server = await ServerHost.StartAsync(cancellationToken: Ct);
        var (instructor, _) = await server.UserAsync("ines", Roles.Instructor, Ct);
        var first = LabArchives.Zip(new Dictionary<string, string> { ["lab.yaml"] = LabYaml.WithGuide("demo"), ["guide/guide.yaml"] = LabYaml.GuideManifest, ["guide/index.md"] = "# One" });
        var second = LabArchives.Zip(new Dictionary<string, string> { ["lab.yaml"] = LabYaml.WithGuide("demo"), ["guide/guide.yaml"] = LabYaml.GuideManifest, ["guide/index.md"] = "# Two" });

        var created = await instructor.PostAsync("/api/labs", LabArchives.Upload(first, "demo.zip"), Ct);
        var replaced = await instructor.PutAsync("/api/labs/demo", LabArchives.Upload(second, "demo.zip"), Ct);

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(HttpStatusCode.OK, replaced.StatusCode);
        var labs = LabsApi.LabsFolder(server);
        Assert.Equal("# Two", await File.ReadAllTextAsync(Path.Combine(labs, "demo", "guide", "index.md"), Ct));
        Assert.Equal(["demo"], Directory.GetDirectories(labs).Select(Path.GetFileName).Where(n => !n!.StartsWith('.')));
    }

    [Fact]
    public async Task Upload_PathTraversalEntry_Returns400AndStoresNothing()
    {
        await using var server = await ServerHost.StartAsync(cancellationToken: Ct);
        var (instructor, _) = await server.UserAsync("ines", Roles.Instructor, Ct);
        var labs = LabsApi.LabsFolder(server);
        var tar = LabArchives.TarGz(new Dictionary<string, string> { ["lab.yaml"] = LabYaml.Valid("demo"), ["../evil"] = "owned" });
        var zip = LabArchives.Zip(new Dictionary<string, string> { ["lab.yaml"] = LabYaml.Valid("demo"), ["../../evil"] = "owned" });

        var tarResponse = await instructor.PostAsync("/api/labs", LabArchives.Upload(tar, "demo.tar.gz"), Ct);
        var zipResponse = await instructor.PostAsync("/api/labs", LabArchives.Upload(zip, "demo.zip"), Ct);

        foreach (var response in new[] { tarResponse, zipResponse })
        {
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Contains("..", (await LabsApi.ProblemAsync(response, Ct)).GetProperty("detail").GetString(), StringComparison.Ordinal);
        }

        Assert.Empty(await LabsApi.NamesAsync(instructor, Ct));
        Assert.False(File.Exists(Path.Combine(labs, "evil")));
        Assert.False(File.Exists(Path.Combine(Path.GetDirectoryName(labs)!, "evil")));
        Assert.Empty(Directory.EnumerateFiles(labs, "*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task Upload_LinksAndAbsolutePaths_Return400()
    {
        await using var server = await ServerHost.StartAsync(cancellationToken: Ct);
        var (instructor, _) = await server.UserAsync("ines", Roles.Instructor, Ct);
        var files = new Dictionary<string, string> { ["lab.yaml"] = LabYaml.Valid("demo") };
        var symlink = LabArchives.TarGz(files, tar => tar.WriteEntry(new PaxTarEntry(TarEntryType.SymbolicLink, "guide") { LinkName = "/etc" }));
        var hardlink = LabArchives.TarGz(files, tar => tar.WriteEntry(new PaxTarEntry(TarEntryType.HardLink, "passwd") { LinkName = "/etc/passwd" }));
        var absolute = LabArchives.TarGz(new Dictionary<string, string> { ["lab.yaml"] = LabYaml.Valid("demo"), ["/tmp/evil"] = "x" });

        foreach (var archive in new[] { symlink, hardlink, absolute })
        {
            var response = await instructor.PostAsync("/api/labs", LabArchives.Upload(archive, "demo.tar.gz"), Ct);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        }

        Assert.Empty(await LabsApi.NamesAsync(instructor, Ct));
    }

    [Fact]
    public async Task Upload_TooManyEntriesOrBytes_Returns400()
    {
        await using var server = await ServerHost.StartAsync(
            new Dictionary<string, string?> { ["Labs:MaxArchiveEntries"] = "5", ["Labs:MaxArchiveBytes"] = "100000" }, Ct);
        var (instructor, _) = await server.UserAsync("ines", Roles.Instructor, Ct);
        var many = Enumerable.Range(0, 10).ToDictionary(i => $"guide/{i}.md", _ => "x");
        many["lab.yaml"] = LabYaml.Valid("demo");
        // Highly compressible: small upload, large contents.
        var bomb = new Dictionary<string, string> { ["lab.yaml"] = LabYaml.Valid("demo"), ["big.txt"] = new string('a', 1_000_000) };

        var tooMany = await instructor.PostAsync("/api/labs", LabArchives.Upload(LabArchives.TarGz(many), "demo.tar.gz"), Ct);
        var tooBig = await instructor.PostAsync("/api/labs", LabArchives.Upload(LabArchives.Zip(bomb), "demo.zip"), Ct);

        Assert.Equal(HttpStatusCode.BadRequest, tooMany.StatusCode);
        Assert.Contains("Labs:MaxArchiveEntries", (await LabsApi.ProblemAsync(tooMany, Ct)).GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, tooBig.StatusCode);
        Assert.Contains("Labs:MaxArchiveBytes", (await LabsApi.ProblemAsync(tooBig, Ct)).GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Empty(await LabsApi.NamesAsync(instructor, Ct));
    }

    [Fact]
    public async Task Upload_InvalidLab_Returns422WithFileLineDiagnostics_AndStoresNothing()
    {
        await using var server = await ServerHost.StartAsync(cancellationToken: Ct);
        var (instructor, _) = await server.UserAsync("ines", Roles.Instructor, Ct);
        var archive = LabArchives.TarGz(new Dictionary<string, string> { ["broken/lab.yaml"] = LabYaml.Invalid("broken") });

        var response = await instructor.PostAsync("/api/labs", LabArchives.Upload(archive, "broken.tar.gz"), Ct);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var diagnostics = (await LabsApi.ProblemAsync(response, Ct)).GetProperty("diagnostics").EnumerateArray().ToList();
        Assert.NotEmpty(diagnostics);
        Assert.All(diagnostics, d => Assert.Equal("broken/lab.yaml", d.GetProperty("file").GetString()));
        Assert.Contains(diagnostics, d => d.GetProperty("text").GetString()!.StartsWith("broken/lab.yaml:", StringComparison.Ordinal) && d.GetProperty("line").GetInt32() > 0);
        Assert.Empty(await LabsApi.NamesAsync(instructor, Ct));
        Assert.Empty(Directory.EnumerateFiles(LabsApi.LabsFolder(server), "*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task Upload_MissingGuideFolder_Returns422()
    {
        await using var server = await ServerHost.StartAsync(cancellationToken: Ct);
        var (instructor, _) = await server.UserAsync("ines", Roles.Instructor, Ct);
        var archive = LabArchives.Zip(new Dictionary<string, string> { ["lab.yaml"] = LabYaml.WithGuide("demo") });

        var response = await instructor.PostAsync("/api/labs", LabArchives.Upload(archive, "demo.zip"), Ct);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Empty(await LabsApi.NamesAsync(instructor, Ct));
    }

    [Fact]
    public async Task Upload_NotAnArchive_Returns400()
    {
        await using var server = await ServerHost.StartAsync(cancellationToken: Ct);
        var (instructor, _) = await server.UserAsync("ines", Roles.Instructor, Ct);

        var response = await instructor.PostAsync("/api/labs", LabArchives.Upload("hello"u8.ToArray(), "demo.tar.gz"), Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Upload_Oversized_Returns413()
    {
        await using var server = await ServerHost.StartAsync(new Dictionary<string, string?> { ["Server:MaxUploadBytes"] = "65536" }, Ct);
        var (instructor, _) = await server.UserAsync("ines", Roles.Instructor, Ct);
        var archive = new byte[200_000];
        Random.Shared.NextBytes(archive);

        var response = await instructor.PostAsync("/api/labs", LabArchives.Upload(archive, "huge.tar.gz"), Ct);
        var yaml = await LabsApi.PutAsync(instructor, "demo", LabYaml.Valid("demo") + "\n#" + new string('x', 100_000), Ct);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal(413, (await LabsApi.ProblemAsync(response, Ct)).GetProperty("status").GetInt32());
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, yaml.StatusCode);
        Assert.Empty(await LabsApi.NamesAsync(instructor, Ct));
    }
}
