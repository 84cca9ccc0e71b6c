using CsCheck;
using LabOrchestrator.Server.Accounts;
using LabOrchestrator.Server.Tests.Labs;
using LabOrchestrator.Server.Tests.Support;
using LabOrchestrator.Tests.Security;

namespace LabOrchestrator.Server.Tests.Security;

/// <summary>
/// Property tests against a real server (issue 11): random and deeply nested YAML bodies, guides and archives, and
/// random or damaged bytes, sent to the upload endpoints, never get a 500 and never hang. Each request runs under a
/// cancellation token with a generous bound; the server's own parse budget is what keeps it well inside it.
/// </summary>
public sealed class UploadFuzzTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly Gen<byte[]> Archives = Gen.Frequency(
        (2, Gen.Byte.Array[0, 2000]),
        (2, Gen.Select(Gen.Byte.Array[0, 500], bytes => new byte[] { 0x1f, 0x8b }.Concat(bytes).ToArray())),
        (2, Gen.Select(Gen.Byte.Array[0, 500], bytes => "PK\u0003\u0004"u8.ToArray().Concat(bytes).ToArray())),
        (4, Gen.Select(HostileGen.AnyText, HostileGen.AnyText, Gen.Bool, Gen.Int[0, 100], Gen.Int[0, 255], (body, page, zip, cut, flip) =>
            Damage(Archive(body, page, zip), cut, flip))));

    [Fact]
    public async Task PutYaml_RandomAndNestedBodies_NeverGet500()
    {
        await using var server = await ServerHost.StartAsync(cancellationToken: Ct);
        var (instructor, _) = await server.UserAsync("ines", Roles.Instructor, Ct);

        await HostileGen.AnyText.SampleAsync(async text =>
        {
            using var bound = Bounded();
            var response = await instructor.PutAsync("/api/labs/demo", LabsApi.Yaml(text), bound.Token);

            Assert.True((int)response.StatusCode < 500, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(bound.Token)}");
        }, iter: 120, threads: 1);
    }

    [Fact]
    public async Task PostArchive_RandomDamagedAndHostileArchives_NeverGet500()
    {
        await using var server = await ServerHost.StartAsync(cancellationToken: Ct);
        var (instructor, _) = await server.UserAsync("ines", Roles.Instructor, Ct);

        await Archives.SampleAsync(async bytes =>
        {
            using var bound = Bounded();
            var response = await instructor.PostAsync("/api/labs", LabArchives.Upload(bytes, "lab.tar.gz"), bound.Token);

            Assert.True((int)response.StatusCode < 500, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(bound.Token)}");
        }, iter: 150, threads: 1);
    }

    [Fact]
    public async Task Post_RandomBodiesAndContentTypes_NeverGet500()
    {
        await using var server = await ServerHost.StartAsync(cancellationToken: Ct);
        var (instructor, _) = await server.UserAsync("ines", Roles.Instructor, Ct);
        var contentTypes = Gen.OneOf("application/yaml", "text/plain", "multipart/form-data", "multipart/form-data; boundary=x",
            "multipart/form-data; boundary=\"\"", "application/json", "application/octet-stream", "text/yaml; charset=latin1");

        await Gen.Select(Gen.Byte.Array[0, 3000], contentTypes).SampleAsync(async (bytes, type) =>
        {
            using var bound = Bounded();
            var content = new ByteArrayContent(bytes);
            content.Headers.TryAddWithoutValidation("Content-Type", type);
            var response = await instructor.PostAsync("/api/labs", content, bound.Token);

            Assert.True((int)response.StatusCode < 500, $"{type} → {(int)response.StatusCode}");
        }, iter: 150, threads: 1);
    }

    /// <summary>A lab archive whose guide holds the random text as a step body and as a page.</summary>
    private static byte[] Archive(string body, string page, bool zip)
    {
        var files = new Dictionary<string, string>
        {
            ["lab.yaml"] = LabYaml.WithGuide("demo"),
            ["guide/guide.yaml"] = "title: T\npages: [index.md, more.md]\n",
            ["guide/index.md"] = "# Intro\n\n```step id=s\n" + body + "\n```\n",
            ["guide/more.md"] = page,
        };
        return zip ? LabArchives.Zip(files) : LabArchives.TarGz(files);
    }

    /// <summary>Cuts the archive at <paramref name="cut"/> percent (100 keeps it whole) and flips one byte unless <paramref name="flip"/> is 0.</summary>
    private static byte[] Damage(byte[] archive, int cut, int flip)
    {
        var kept = archive[..(cut >= 50 ? archive.Length : archive.Length * cut / 50)];
        if (flip > 0 && kept.Length > 0)
        {
            kept[flip * 7919 % kept.Length] ^= (byte)flip;
        }

        return kept;
    }

    private static CancellationTokenSource Bounded()
    {
        var source = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        source.CancelAfter(Bound);
        return source;
    }
}
