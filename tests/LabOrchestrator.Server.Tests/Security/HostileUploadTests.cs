using System.Formats.Tar;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using LabOrchestrator.Persistence;
using LabOrchestrator.Server.Accounts;
using LabOrchestrator.Server.Guides;
using LabOrchestrator.Server.Tests.Labs;
using LabOrchestrator.Server.Tests.Support;
using LabOrchestrator.Tests.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LabOrchestrator.Server.Tests.Security;

/// <summary>
/// Issue 11 findings 2 and 9 against a real server: hostile labs and guides are refused at upload with file:line:column,
/// labs stored before the limits cannot take the server down, and malformed archives get 400, never 500.
/// </summary>
public sealed class HostileUploadTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<string> NestedYamlShapes => [.. HostileText.NestedYaml().Select(s => s.Name)];

    [Theory]
    [MemberData(nameof(NestedYamlShapes))]
    public async Task Upload_GuideStepNestedHundredThousandDeep_Returns422AtTheStep_AndStoresNothing(string shape)
    {
        await using var server = await ServerHost.StartAsync(cancellationToken: Ct);
        var (instructor, _) = await server.UserAsync("ines", Roles.Instructor, Ct);
        var body = HostileText.NestedYaml(20_000).Single(s => s.Name == shape).Yaml;
        var archive = LabArchives.TarGz(new Dictionary<string, string>
        {
            ["demo/lab.yaml"] = LabYaml.WithGuide("demo"),
            ["demo/guide/guide.yaml"] = LabYaml.GuideManifest,
            ["demo/guide/index.md"] = "# Intro\n\n```step id=deep\nhints: " + body + "\n```\n",
        });

        var response = await instructor.PostAsync("/api/labs", LabArchives.Upload(archive, "demo.tar.gz"), Ct);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var text = (await LabsApi.ProblemAsync(response, Ct)).GetProperty("diagnostics")[0].GetProperty("text").GetString()!;
        // At the step body on line 4, or, for a page too large to read at all, at the page's entry in guide.yaml.
        Assert.True(text.StartsWith("demo/guide/index.md:4:", StringComparison.Ordinal)
            || (text.StartsWith("demo/guide/guide.yaml:2:", StringComparison.Ordinal) && text.Contains("larger than", StringComparison.Ordinal)), text);
        Assert.Empty(await LabsApi.NamesAsync(instructor, Ct));
        Assert.Empty(Directory.EnumerateFiles(LabsApi.LabsFolder(server), "*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task Upload_DeeplyNestedMarkdownPages_Return422()
    {
        await using var server = await ServerHost.StartAsync(cancellationToken: Ct);
        var (instructor, _) = await server.UserAsync("ines", Roles.Instructor, Ct);

        foreach (var (name, markdown) in HostileText.NestedMarkdown())
        {
            var archive = LabArchives.Zip(new Dictionary<string, string>
            {
                ["lab.yaml"] = LabYaml.WithGuide("demo"),
                ["guide/guide.yaml"] = LabYaml.GuideManifest,
                ["guide/index.md"] = "# Intro\n\n" + markdown,
            });

            var response = await instructor.PostAsync("/api/labs", LabArchives.Upload(archive, "demo.zip"), Ct);

            Assert.True(response.StatusCode == HttpStatusCode.UnprocessableEntity, $"{name}: {(int)response.StatusCode}");
        }

        Assert.Empty(await LabsApi.NamesAsync(instructor, Ct));
    }

    [Fact]
    public async Task Upload_YamlBodyForALabWhoseStoredGuideIsHostile_Returns422()
    {
        await using var server = await ServerHost.StartAsync(cancellationToken: Ct);
        var (instructor, _) = await server.UserAsync("ines", Roles.Instructor, Ct);
        var good = LabArchives.TarGz(new Dictionary<string, string>
        {
            ["lab.yaml"] = LabYaml.WithGuide("demo"),
            ["guide/guide.yaml"] = LabYaml.GuideManifest,
            ["guide/index.md"] = "# Intro\n",
        });
        Assert.Equal(HttpStatusCode.Created, (await instructor.PostAsync("/api/labs", LabArchives.Upload(good, "demo.tar.gz"), Ct)).StatusCode);
        await File.WriteAllTextAsync(Path.Combine(LabsApi.LabsFolder(server), "demo", "guide", "index.md"), "```step id=x\nhints: " + HostileText.Repeat("[", 50_000) + "\n```\n", Ct);

        var response = await LabsApi.PutAsync(instructor, "demo", LabYaml.WithGuide("demo"), Ct);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
    }

    [Theory]
    [InlineData("cpu", "1e9", "Labs:MaxNodeCpu")]
    [InlineData("memory", "999Ei", "Labs:MaxNodeMemory")]
    public async Task Upload_ResourcesAboveTheAdminCeiling_Returns422NamingFieldAndCeiling(string field, string value, string setting)
    {
        await using var server = await ServerHost.StartAsync(cancellationToken: Ct);
        var (instructor, _) = await server.UserAsync("ines", Roles.Instructor, Ct);

        var response = await LabsApi.PutAsync(instructor, "demo", LabYaml.Valid("demo") + $"\n    resources:\n      {field}: {value}\n", Ct);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var problem = (await LabsApi.ProblemAsync(response, Ct)).GetProperty("diagnostics")[0];
        Assert.Equal($"nodes[0].resources.{field}", problem.GetProperty("path").GetString());
        Assert.Contains(setting, problem.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Upload_AboveConfiguredCeilings_IsRefused_AndAnotherRegistryAllowedByTheAdmin_IsAccepted()
    {
        await using var server = await ServerHost.StartAsync(new Dictionary<string, string?>
        {
            ["Labs:MaxNodesPerLab"] = "1",
            ["Labs:AllowedRegistries:0"] = "registry.example.org",
        }, Ct);
        var (instructor, _) = await server.UserAsync("ines", Roles.Instructor, Ct);
        var twoNodes = "name: demo\nnodes:\n  - name: a\n    image: registry.example.org/a\n  - name: b\n    image: registry.example.org/b\n";

        var tooMany = await LabsApi.PutAsync(instructor, "demo", twoNodes, Ct);
        var hub = await LabsApi.PutAsync(instructor, "demo", "name: demo\nnodes:\n  - name: a\n    image: busybox\n", Ct);
        var allowed = await LabsApi.PutAsync(instructor, "demo", "name: demo\nnodes:\n  - name: a\n    image: registry.example.org/a\n", Ct);

        Assert.Contains("Labs:MaxNodesPerLab", await tooMany.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Contains("Labs:AllowedRegistries: registry.example.org", await hub.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Created, allowed.StatusCode);
    }

    [Theory]
    [InlineData("Labs:MaxNodeCpu", "lots")]
    [InlineData("Labs:MaxNodeMemory", "-1Gi")]
    [InlineData("Labs:MaxNodesPerLab", "0")]
    [InlineData("Labs:AllowedRegistries:0", "not a host!")]
    public async Task Start_InvalidCeiling_FailsNamingTheSetting(string setting, string value)
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(async () => await ServerHost.StartAsync(new Dictionary<string, string?> { [setting] = value }, Ct));

        Assert.Contains(setting.Split(":0")[0], error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StoredLabsFromBeforeTheLimits_AreReportedBroken_AndTheServerKeepsServing()
    {
        await using var server = await ServerHost.StartAsync(cancellationToken: Ct);
        var (instructor, _) = await server.UserAsync("ines", Roles.Instructor, Ct);
        var (learner, _) = await server.UserAsync("lea", Roles.Learner, Ct);
        Assert.Equal(HttpStatusCode.Created, (await LabsApi.PutAsync(instructor, "good", LabYaml.Valid("good"), Ct)).StatusCode);
        var guideFolder = Path.Combine(LabsApi.LabsFolder(server), "guided");
        Directory.CreateDirectory(Path.Combine(guideFolder, "guide"));
        await File.WriteAllTextAsync(Path.Combine(guideFolder, "guide", "guide.yaml"), LabYaml.GuideManifest, Ct);
        await File.WriteAllTextAsync(Path.Combine(guideFolder, "guide", "index.md"), "```step id=x\nhints: " + HostileText.Repeat("[", HostileText.Deep) + "\n```\n", Ct);
        var env = string.Concat(Enumerable.Range(0, 200_000).Select(i => $"      K{i}: v\n"));
        await StoreUncheckedAsync(server, "huge", LabYaml.Valid("huge") + "\n    env:\n" + env, null);
        await StoreUncheckedAsync(server, "greedy", LabYaml.Valid("greedy") + "\n    resources: {cpu: 1e9}\n", null);
        await StoreUncheckedAsync(server, "guided", LabYaml.WithGuide("guided"), guideFolder);

        var labs = await LabsApi.NamesAsync(instructor, Ct);
        var sessions = await learner.GetAsync("/api/sessions", Ct);
        var broken = await instructor.GetFromJsonAsync<JsonElement>("/api/lab-problems", Ct);
        var guide = await server.Services.GetRequiredService<SessionGuides>().FindAsync(
            new LabOrchestrator.Sessions.Session { Id = "s1", LabName = "guided", UserId = "lea", Engine = "podman", State = LabOrchestrator.Sessions.SessionState.Running, CreatedAt = DateTimeOffset.UnixEpoch },
            Ct);

        Assert.Equal(["good", "guided"], labs);
        Assert.Equal(HttpStatusCode.OK, sessions.StatusCode);
        Assert.Equal(["greedy", "huge"], broken.EnumerateArray().Select(l => l.GetProperty("name").GetString()));
        Assert.Contains("Labs:MaxNodeCpu", broken[0].GetProperty("problems")[0].GetString(), StringComparison.Ordinal);
        Assert.Null(guide!.Guide);
        Assert.Equal(HttpStatusCode.Forbidden, (await learner.GetAsync("/api/lab-problems", Ct)).StatusCode);
    }

    [Fact]
    public async Task ListLabs_ParsesEachStoredVersionOnce()
    {
        await using var server = await ServerHost.StartAsync(cancellationToken: Ct);
        var (instructor, _) = await server.UserAsync("ines", Roles.Instructor, Ct);
        await LabsApi.PutAsync(instructor, "demo", LabYaml.Valid("demo"), Ct);
        var catalog = server.Services.GetRequiredService<LabOrchestrator.Labs.ILabCatalog>();

        var first = Assert.Single(await catalog.ListAsync(Ct)).Definition;
        var second = Assert.Single(await catalog.ListAsync(Ct)).Definition;
        await LabsApi.PutAsync(instructor, "demo", LabYaml.Valid("demo", tag: "changed"), Ct);
        var third = Assert.Single(await catalog.ListAsync(Ct)).Definition;

        Assert.Same(first, second);
        Assert.NotSame(second, third);
        Assert.Equal(["changed"], third.Tags);
    }

    public static TheoryData<string> Clashes => ["file then folder", "folder then file", "file then child", "zip file then child"];

    [Theory]
    [MemberData(nameof(Clashes))]
    public async Task Upload_FileAndFolderWithTheSameName_Returns400(string clash)
    {
        await using var server = await ServerHost.StartAsync(cancellationToken: Ct);
        var (instructor, _) = await server.UserAsync("ines", Roles.Instructor, Ct);
        var lab = new Dictionary<string, string> { ["lab.yaml"] = LabYaml.Valid("demo") };
        var archive = clash switch
        {
            "file then folder" => LabArchives.TarGz(lab, tar =>
            {
                tar.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, "guide") { DataStream = new MemoryStream([1]) });
                tar.WriteEntry(new PaxTarEntry(TarEntryType.Directory, "guide/"));
            }),
            "folder then file" => LabArchives.TarGz(lab, tar =>
            {
                tar.WriteEntry(new PaxTarEntry(TarEntryType.Directory, "guide/"));
                tar.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, "guide") { DataStream = new MemoryStream([1]) });
            }),
            "file then child" => LabArchives.TarGz(new Dictionary<string, string> { ["lab.yaml"] = LabYaml.Valid("demo"), ["a"] = "x", ["a/b"] = "y" }),
            _ => LabArchives.Zip(new Dictionary<string, string> { ["lab.yaml"] = LabYaml.Valid("demo"), ["a"] = "x", ["a/b"] = "y" }),
        };

        var response = await instructor.PostAsync("/api/labs", LabArchives.Upload(archive, "demo.tar.gz"), Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("a file and a folder", (await LabsApi.ProblemAsync(response, Ct)).GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Empty(await LabsApi.NamesAsync(instructor, Ct));
    }

    [Fact]
    public async Task Upload_TruncatedAndDamagedArchives_Return400()
    {
        await using var server = await ServerHost.StartAsync(cancellationToken: Ct);
        var (instructor, _) = await server.UserAsync("ines", Roles.Instructor, Ct);
        var files = new Dictionary<string, string> { ["lab.yaml"] = LabYaml.Valid("demo"), ["guide/notes.txt"] = new string('x', 5000) };
        var tar = LabArchives.TarGz(files);
        var zip = LabArchives.Zip(files);
        var cases = new Dictionary<string, byte[]>
        {
            ["empty"] = [],
            ["gzip magic only"] = [0x1f, 0x8b],
            ["zip magic only"] = [(byte)'P', (byte)'K', 3, 4],
            ["truncated tar.gz"] = tar[..(tar.Length / 2)],
            ["truncated zip"] = zip[..(zip.Length / 2)],
            ["zip without its directory"] = zip[..^22],
            ["tar.gz with a flipped byte"] = Flip(tar, tar.Length / 2),
            ["zip with a flipped byte"] = Flip(zip, 40),
            ["gzip of text"] = LabArchives.GzipOf("not a tar archive at all"),
        };

        foreach (var (name, bytes) in cases)
        {
            var response = await instructor.PostAsync("/api/labs", LabArchives.Upload(bytes, "demo.tar.gz"), Ct);

            Assert.True(response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.UnprocessableEntity, $"{name}: {(int)response.StatusCode}");
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }

        Assert.Empty(await LabsApi.NamesAsync(instructor, Ct));
    }

    private static byte[] Flip(byte[] bytes, int at)
    {
        var copy = bytes.ToArray();
        copy[at] ^= 0xff;
        return copy;
    }

    /// <summary>Writes a lab as a server without today's limits did: straight into the database.</summary>
    private static async Task StoreUncheckedAsync(ServerHost server, string name, string yaml, string? folder)
    {
        var contexts = server.Services.GetRequiredService<IDbContextFactory<LabOrchestratorDbContext>>();
        await using var db = await contexts.CreateDbContextAsync(Ct);
        db.Labs.Add(new LabEntity
        {
            Name = name,
            SourceYaml = yaml,
            SourceFile = $"{name}/lab.yaml",
            SourceDirectory = folder,
            Published = true,
            CreatedAt = DateTimeOffset.UtcNow,
            UpdatedAt = DateTimeOffset.UtcNow,
        });
        await db.SaveChangesAsync(Ct);
    }
}
