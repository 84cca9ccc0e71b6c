using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using LabOrchestrator.Server.Accounts;
using LabOrchestrator.Server.Tests.Labs;
using LabOrchestrator.Server.Tests.Persist;
using LabOrchestrator.Server.Tests.Support;

namespace LabOrchestrator.Server.Tests.Guides;

/// <summary>
/// A session reads the guide it was started with: re-importing the lab with another guide, or deleting the lab and its
/// folder, changes nothing for it, while sessions started after the re-import get the new guide.
/// </summary>
public sealed class GuideSnapshotTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static MultipartFormDataContent Archive(string page, string svg) => LabArchives.Upload(
        LabArchives.Zip(new Dictionary<string, string>
        {
            ["lab.yaml"] = LabYaml.WithGuide("demo"),
            ["guide/guide.yaml"] = LabYaml.GuideManifest,
            ["guide/index.md"] = $"# {page}\n\n![diagram](media/diagram.svg)\n",
            ["guide/media/diagram.svg"] = svg,
        }),
        "demo.zip");

    private static async Task<string> PageHtmlAsync(HttpClient client, string id) =>
        (await client.GetFromJsonAsync<JsonElement>($"/api/sessions/{id}/guide", Ct)).GetProperty("pages")[0].GetProperty("html").GetString()!;

    [Fact]
    public async Task LabReimportedWithAnotherGuide_ThenDeleted_RunningSessionKeepsItsOwnGuideAndMedia()
    {
        await using var server = await ServerHost.StartWithFakeEngineAsync(new FakeLabEngine(), cancellationToken: Ct);
        var (admin, _) = await server.UserAsync("ada", Roles.Admin, Ct);
        var (learner, _) = await server.UserAsync("lea", Roles.Learner, Ct);
        var (later, _) = await server.UserAsync("leo", Roles.Learner, Ct);
        Assert.Equal(HttpStatusCode.Created, (await admin.PostAsync("/api/labs", Archive("First edition", "<svg id=\"one\"/>"), Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync("/api/labs/demo/publish", null, Ct)).StatusCode);
        var first = await PersistApi.StartAsync(learner, "demo", Ct);

        var reimport = await admin.PutAsync("/api/labs/demo", Archive("Second edition", "<svg id=\"two\"/>"), Ct);
        Assert.True(reimport.IsSuccessStatusCode, await reimport.Content.ReadAsStringAsync(Ct));
        var second = await PersistApi.StartAsync(later, "demo", Ct);

        Assert.Contains("First edition", await PageHtmlAsync(learner, first), StringComparison.Ordinal);
        Assert.Contains("Second edition", await PageHtmlAsync(later, second), StringComparison.Ordinal);
        Assert.Contains("one", await learner.GetStringAsync($"/api/sessions/{first}/guide/media/diagram.svg", Ct), StringComparison.Ordinal);
        Assert.Contains("two", await later.GetStringAsync($"/api/sessions/{second}/guide/media/diagram.svg", Ct), StringComparison.Ordinal);

        // Deleting the lab removes its uploaded folder; both sessions still read their guides.
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync("/api/labs/demo", Ct)).StatusCode);
        Assert.False(Directory.Exists(Path.Combine(LabsApi.LabsFolder(server), "demo")));
        Assert.Contains("First edition", await PageHtmlAsync(learner, first), StringComparison.Ordinal);
        Assert.Contains("Second edition", await PageHtmlAsync(later, second), StringComparison.Ordinal);
        Assert.Contains("one", await learner.GetStringAsync($"/api/sessions/{first}/guide/media/diagram.svg", Ct), StringComparison.Ordinal);
        var progress = await learner.GetFromJsonAsync<JsonElement>($"/api/sessions/{first}/progress", Ct);
        Assert.Equal("demo", progress.GetProperty("lab").GetString());
    }
}
