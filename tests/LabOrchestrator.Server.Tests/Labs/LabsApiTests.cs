using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using LabOrchestrator.Server.Accounts;
using LabOrchestrator.Server.Tests.Support;

namespace LabOrchestrator.Server.Tests.Labs;

public sealed class LabsApiTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Put_YamlBody_CreatesUnpublishedLab_LearnersSeeItOnlyOncePublished()
    {
        await using var server = await ServerHost.StartAsync(cancellationToken: Ct);
        var (instructor, _) = await server.UserAsync("ines", Roles.Instructor, Ct);
        var (learner, _) = await server.UserAsync("lea", Roles.Learner, Ct);

        var created = await LabsApi.PutAsync(instructor, "demo", LabYaml.Valid("demo", "networking"), Ct);
        var learnerBefore = await LabsApi.NamesAsync(learner, Ct);
        var hidden = await learner.GetAsync("/api/labs/demo", Ct);
        var published = await instructor.PostAsync("/api/labs/demo/publish", null, Ct);
        var learnerAfter = await LabsApi.NamesAsync(learner, Ct);
        var details = await learner.GetFromJsonAsync<JsonElement>("/api/labs/demo", Ct);
        var updated = await LabsApi.PutAsync(instructor, "demo", LabYaml.Valid("demo", "web"), Ct);

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal("/api/labs/demo", created.Headers.Location?.OriginalString);
        Assert.False((await created.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("published").GetBoolean());
        Assert.Empty(learnerBefore);
        Assert.Equal(HttpStatusCode.NotFound, hidden.StatusCode);
        Assert.Equal(HttpStatusCode.OK, published.StatusCode);
        Assert.Equal(["demo"], learnerAfter);
        Assert.Equal("Demo demo", details.GetProperty("title").GetString());
        Assert.Equal("box", details.GetProperty("nodes")[0].GetProperty("name").GetString());
        Assert.True(details.GetProperty("nodes")[0].GetProperty("access").GetProperty("terminal").GetBoolean());
        Assert.Equal(HttpStatusCode.OK, updated.StatusCode);
        Assert.True((await updated.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("published").GetBoolean());
    }

    [Fact]
    public async Task List_Filters_ByTagTextAndPublished()
    {
        await using var server = await ServerHost.StartAsync(cancellationToken: Ct);
        var (instructor, _) = await server.UserAsync("ines", Roles.Instructor, Ct);
        await LabsApi.PutAsync(instructor, "alpha", LabYaml.Valid("alpha", "networking"), Ct);
        await LabsApi.PutAsync(instructor, "beta", LabYaml.Valid("beta", "linux"), Ct);
        await instructor.PostAsync("/api/labs/beta/publish", null, Ct);

        Assert.Equal(["alpha", "beta"], await LabsApi.NamesAsync(instructor, Ct));
        Assert.Equal(["alpha"], await LabsApi.NamesAsync(instructor, Ct, "?tag=Networking"));
        Assert.Equal(["beta"], await LabsApi.NamesAsync(instructor, Ct, "?q=bet"));
        Assert.Equal(["alpha"], await LabsApi.NamesAsync(instructor, Ct, "?published=false"));
        var bad = await instructor.GetAsync("/api/labs?published=maybe", Ct);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.True((await LabsApi.ProblemAsync(bad, Ct)).GetProperty("errors").TryGetProperty("published", out _));
    }

    [Fact]
    public async Task Learner_CannotWriteLabs()
    {
        await using var server = await ServerHost.StartAsync(cancellationToken: Ct);
        var (instructor, _) = await server.UserAsync("ines", Roles.Instructor, Ct);
        var (learner, _) = await server.UserAsync("lea", Roles.Learner, Ct);
        await LabsApi.PutAsync(instructor, "demo", LabYaml.Valid("demo"), Ct);

        var put = await LabsApi.PutAsync(learner, "other", LabYaml.Valid("other"), Ct);
        var post = await learner.PostAsync("/api/labs", LabsApi.Yaml(LabYaml.Valid("other")), Ct);
        var upload = await learner.PostAsync("/api/labs", LabArchives.Upload(LabArchives.TarGz(new Dictionary<string, string> { ["lab.yaml"] = LabYaml.Valid("other") }), "lab.tar.gz"), Ct);
        var publish = await learner.PostAsync("/api/labs/demo/publish", null, Ct);
        var delete = await learner.DeleteAsync("/api/labs/demo", Ct);

        Assert.All([put, post, upload, publish, delete], r => Assert.Equal(HttpStatusCode.Forbidden, r.StatusCode));
        Assert.Equal(["demo"], await LabsApi.NamesAsync(instructor, Ct));
    }

    [Fact]
    public async Task Anonymous_GetsUnauthorized()
    {
        await using var server = await ServerHost.StartAsync(cancellationToken: Ct);
        using var anonymous = server.Anonymous();

        var response = await anonymous.GetAsync("/api/labs", Ct);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Put_NameDiffersFromUrl_Returns400WithFieldPath()
    {
        await using var server = await ServerHost.StartAsync(cancellationToken: Ct);
        var (instructor, _) = await server.UserAsync("ines", Roles.Instructor, Ct);

        var response = await LabsApi.PutAsync(instructor, "demo", LabYaml.Valid("other"), Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await LabsApi.ProblemAsync(response, Ct);
        Assert.Contains("'other'", problem.GetProperty("errors").GetProperty("name")[0].GetString(), StringComparison.Ordinal);
        Assert.Empty(await LabsApi.NamesAsync(instructor, Ct));
    }

    [Fact]
    public async Task Put_InvalidLab_Returns422WithEveryDiagnostic()
    {
        await using var server = await ServerHost.StartAsync(cancellationToken: Ct);
        var (instructor, _) = await server.UserAsync("ines", Roles.Instructor, Ct);

        var response = await LabsApi.PutAsync(instructor, "demo", LabYaml.Invalid("demo"), Ct);
        var notYaml = await LabsApi.PutAsync(instructor, "demo", "name: [unclosed", Ct);
        var wrongType = await instructor.PutAsJsonAsync("/api/labs/demo", new { name = "demo" }, Ct);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var diagnostics = (await LabsApi.ProblemAsync(response, Ct)).GetProperty("diagnostics");
        Assert.Contains(diagnostics.EnumerateArray(), d => d.GetProperty("text").GetString()!.StartsWith("demo/lab.yaml:", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, notYaml.StatusCode);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, wrongType.StatusCode);
        Assert.Empty(await LabsApi.NamesAsync(instructor, Ct));
    }

    [Fact]
    public async Task UnknownLab_Returns404Problem()
    {
        await using var server = await ServerHost.StartAsync(cancellationToken: Ct);
        var (instructor, _) = await server.UserAsync("ines", Roles.Instructor, Ct);

        var get = await instructor.GetAsync("/api/labs/nope", Ct);
        var publish = await instructor.PostAsync("/api/labs/nope/publish", null, Ct);
        var delete = await instructor.DeleteAsync("/api/labs/nope", Ct);

        Assert.All([get, publish, delete], r => Assert.Equal(HttpStatusCode.NotFound, r.StatusCode));
        Assert.Contains("nope", (await LabsApi.ProblemAsync(get, Ct)).GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Delete_RemovesLabAndItsFolder()
    {
        await using var server = await ServerHost.StartAsync(cancellationToken: Ct);
        var (instructor, _) = await server.UserAsync("ines", Roles.Instructor, Ct);
        var archive = LabArchives.TarGz(new Dictionary<string, string> { ["lab.yaml"] = LabYaml.WithGuide("demo"), ["guide/guide.yaml"] = LabYaml.GuideManifest, ["guide/index.md"] = "# Hi" });
        await instructor.PostAsync("/api/labs", LabArchives.Upload(archive, "demo.tar.gz"), Ct);
        var folder = Path.Combine(LabsApi.LabsFolder(server), "demo");
        Assert.True(Directory.Exists(folder));

        var response = await instructor.DeleteAsync("/api/labs/demo", Ct);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.False(Directory.Exists(folder));
        Assert.Empty(await LabsApi.NamesAsync(instructor, Ct));
    }
}
