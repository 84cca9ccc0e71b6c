using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using LabOrchestrator.Labs;
using LabOrchestrator.Server.Accounts;
using LabOrchestrator.Server.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace LabOrchestrator.Server.Tests.Persist;

/// <summary>/api/storage on <see cref="FakeLabEngine"/>: who sees and deletes which learner's stored data.</summary>
public sealed class StorageApiTests
{
    private const string LabYaml = """
        name: notebook
        nodes:
          - name: desk
            image: localhost/lab-base:latest
            storage:
              - path: /home/learner/work
        """;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task StoredData_IsListedToItsLearnerOnly_OutlivesTheSession_AndIsDeletedOnceStopped()
    {
        var engine = new FakeLabEngine();
        await using var server = await ServerHost.StartWithFakeEngineAsync(engine, cancellationToken: Ct);
        await server.Services.GetRequiredService<ILabCatalog>().AddOrUpdateAsync(new LabSource(LabYaml, "notebook.yaml", null), publishIfNew: true, Ct);
        var (lea, _) = await server.UserAsync("lea", Roles.Learner, Ct);
        var (bob, _) = await server.UserAsync("bob", Roles.Learner, Ct);
        var (admin, _) = await server.UserAsync("ada", Roles.Admin, Ct);
        var leas = await PersistApi.StartAsync(lea, "notebook", Ct);
        var bobs = await PersistApi.StartAsync(bob, "notebook", Ct);

        var mine = (await lea.GetFromJsonAsync<JsonElement>("/api/storage", Ct)).EnumerateArray().ToList();
        var volume = Assert.Single(mine);
        Assert.Equal("lea", volume.GetProperty("user").GetString());
        Assert.Equal("notebook", volume.GetProperty("lab").GetString());
        Assert.Equal("desk", volume.GetProperty("node").GetString());
        Assert.Equal("/home/learner/work", volume.GetProperty("path").GetString());
        var name = volume.GetProperty("name").GetString()!;
        Assert.NotEqual(name, Assert.Single((await bob.GetFromJsonAsync<JsonElement>("/api/storage", Ct)).EnumerateArray()).GetProperty("name").GetString());
        Assert.Equal(2, (await admin.GetFromJsonAsync<JsonElement>("/api/storage", Ct)).GetArrayLength());
        Assert.Single((await admin.GetFromJsonAsync<JsonElement>("/api/storage?user=bob", Ct)).EnumerateArray());

        // Another learner's data does not exist for bob; in use, it is refused; stopped, it outlives the session.
        Assert.Equal(HttpStatusCode.NotFound, (await bob.DeleteAsync($"/api/storage/{name}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await lea.DeleteAsync($"/api/storage/{name}", Ct)).StatusCode);
        await lea.PostAsync($"/api/sessions/{leas}/stop", null, Ct);
        Assert.Single((await lea.GetFromJsonAsync<JsonElement>("/api/storage", Ct)).EnumerateArray());
        Assert.Equal(HttpStatusCode.NoContent, (await lea.DeleteAsync($"/api/storage/{name}", Ct)).StatusCode);
        Assert.Empty((await lea.GetFromJsonAsync<JsonElement>("/api/storage", Ct)).EnumerateArray());
        Assert.Single(engine.Persistent);
        await bob.PostAsync($"/api/sessions/{bobs}/stop", null, Ct);
    }
}
