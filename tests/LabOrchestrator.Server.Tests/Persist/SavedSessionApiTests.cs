using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using LabOrchestrator.Engines;
using LabOrchestrator.Server.Accounts;
using LabOrchestrator.Server.Tests.Sessions;
using LabOrchestrator.Server.Tests.Support;

namespace LabOrchestrator.Server.Tests.Persist;

/// <summary>Save and continue on <see cref="FakeLabEngine"/>; the Podman tests prove files survive.</summary>
public sealed class SavedSessionApiTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Continue_AfterSaveAndStop_RunsTheSavedImagesWithTheSavedCredentialsAndProgress()
    {
        var engine = new FakeLabEngine();
        await using var server = await ServerHost.StartWithFakeEngineAsync(engine, cancellationToken: Ct);
        var (learner, token) = await PersistApi.RunningTwoHostsAsync(server, engine, Ct);
        var id = token.SessionId;
        Assert.True((await learner.PostAsync($"/api/sessions/{id}/guide/steps/fetch-page/check", null, Ct)).IsSuccessStatusCode);
        var password = await PasswordAsync(learner, id);

        var save = await learner.PostAsync($"/api/sessions/{id}/save", null, Ct);
        Assert.Equal(HttpStatusCode.Created, save.StatusCode);
        var saved = await save.Content.ReadFromJsonAsync<JsonElement>(Ct);
        var savedId = saved.GetProperty("id").GetString()!;
        Assert.Equal(1, saved.GetProperty("stepsDone").GetInt32());
        Assert.False(saved.TryGetProperty("images", out _));
        Assert.Equal(HttpStatusCode.OK, (await learner.PostAsync($"/api/sessions/{id}/stop", null, Ct)).StatusCode);

        var listed = await learner.GetFromJsonAsync<JsonElement>("/api/saved-sessions", Ct);
        Assert.Equal(savedId, Assert.Single(listed.EnumerateArray()).GetProperty("id").GetString());
        var resume = await learner.PostAsync($"/api/saved-sessions/{savedId}/continue", null, Ct);
        Assert.Equal(HttpStatusCode.Accepted, resume.StatusCode);
        var continued = (await resume.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetString()!;
        Assert.Equal("Running", (await SessionsApi.FollowAsync(learner, continued, Ct))[^1].GetProperty("state").GetString());

        var plan = engine.PlanOf(continued)!;
        Assert.All(plan.Nodes, n => Assert.Equal($"localhost/lab-saved:{savedId}-{n.Name}", n.Pod.Spec.Containers[0].Image));
        Assert.Equal(password, await PasswordAsync(learner, continued));
        Assert.Equal(1, (await PersistApi.ProgressAsync(learner, continued, Ct)).Done);
        // A continued session resets to the lab's own images, not to the save.
        Assert.Equal(HttpStatusCode.OK, (await learner.PostAsJsonAsync($"/api/sessions/{continued}/reset", new { node = "client" }, Ct)).StatusCode);
    }

    [Fact]
    public async Task DeleteSave_IsRefusedWhileASessionContinuesIt_ThenRemovesItsImages()
    {
        var engine = new FakeLabEngine();
        await using var server = await ServerHost.StartWithFakeEngineAsync(engine, cancellationToken: Ct);
        var (learner, token) = await PersistApi.RunningTwoHostsAsync(server, engine, Ct);
        var savedId = await SaveAsync(learner, token.SessionId);
        await learner.PostAsync($"/api/sessions/{token.SessionId}/stop", null, Ct);
        var resume = await learner.PostAsync($"/api/saved-sessions/{savedId}/continue", null, Ct);
        var continued = (await resume.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetString()!;
        await SessionsApi.FollowAsync(learner, continued, Ct);
        Assert.Equal(2, engine.Persistent.Count(r => r.Labels.GetValueOrDefault(LabLabels.Saved) == savedId));

        var refused = await learner.DeleteAsync($"/api/saved-sessions/{savedId}", Ct);
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Contains("stop it first", (await refused.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("detail").GetString(), StringComparison.Ordinal);

        await learner.PostAsync($"/api/sessions/{continued}/stop", null, Ct);
        Assert.Equal(HttpStatusCode.NoContent, (await learner.DeleteAsync($"/api/saved-sessions/{savedId}", Ct)).StatusCode);
        Assert.DoesNotContain(engine.Persistent, r => r.Labels.GetValueOrDefault(LabLabels.Saved) == savedId);
        Assert.Equal(HttpStatusCode.NotFound, (await learner.GetAsync($"/api/saved-sessions/{savedId}", Ct)).StatusCode);
    }

    [Fact]
    public async Task Save_PastThePerUserLimit_Is429WithTheSetting()
    {
        var engine = new FakeLabEngine();
        await using var server = await ServerHost.StartWithFakeEngineAsync(engine, settings: new Dictionary<string, string?> { ["LabOrchestrator:MaxSavedSessionsPerUser"] = "1" }, cancellationToken: Ct);
        var (learner, token) = await PersistApi.RunningTwoHostsAsync(server, engine, Ct);
        await SaveAsync(learner, token.SessionId);

        var second = await learner.PostAsync($"/api/sessions/{token.SessionId}/save", null, Ct);

        Assert.Equal(HttpStatusCode.TooManyRequests, second.StatusCode);
        var problem = await second.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal("LabOrchestrator:MaxSavedSessionsPerUser", problem.GetProperty("setting").GetString());
        Assert.Equal(1, problem.GetProperty("max").GetInt32());
        Assert.Equal(2, engine.Persistent.Count);
    }

    [Fact]
    public async Task SavedSessions_OfAnotherLearner_AreNeitherListedNorUsable_ButAdminsSeeThem()
    {
        var engine = new FakeLabEngine();
        await using var server = await ServerHost.StartWithFakeEngineAsync(engine, cancellationToken: Ct);
        var (learner, token) = await PersistApi.RunningTwoHostsAsync(server, engine, Ct);
        var savedId = await SaveAsync(learner, token.SessionId);
        var (bob, _) = await server.UserAsync("bob", Roles.Learner, Ct);
        var (admin, _) = await server.UserAsync("ada", Roles.Admin, Ct);

        Assert.Empty((await bob.GetFromJsonAsync<JsonElement>("/api/saved-sessions", Ct)).EnumerateArray());
        Assert.Equal(HttpStatusCode.Forbidden, (await bob.PostAsync($"/api/saved-sessions/{savedId}/continue", null, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await bob.DeleteAsync($"/api/saved-sessions/{savedId}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await bob.PostAsync($"/api/sessions/{token.SessionId}/save", null, Ct)).StatusCode);
        var all = await admin.GetFromJsonAsync<JsonElement>("/api/saved-sessions", Ct);
        Assert.True(Assert.Single(all.EnumerateArray()).TryGetProperty("images", out _));
        Assert.Equal(2, engine.Persistent.Count);
    }

    [Fact]
    public async Task Continue_CountsAgainstTheSameQuotasAsAStart()
    {
        var engine = new FakeLabEngine();
        await using var server = await ServerHost.StartWithFakeEngineAsync(engine, settings: new Dictionary<string, string?>
        {
            ["Quotas:PerUser"] = "1",
            ["Quotas:Total"] = "1",
        }, cancellationToken: Ct);
        var (learner, token) = await PersistApi.RunningTwoHostsAsync(server, engine, Ct);
        var savedId = await SaveAsync(learner, token.SessionId);

        // Still running their session: the learner is at Quotas:PerUser.
        var mine = await learner.PostAsync($"/api/saved-sessions/{savedId}/continue", null, Ct);
        Assert.Equal(HttpStatusCode.TooManyRequests, mine.StatusCode);
        Assert.Equal("perUser", (await mine.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("limit").GetString());

        // Stopped, and another learner took the server's only place.
        Assert.Equal(HttpStatusCode.OK, (await learner.PostAsync($"/api/sessions/{token.SessionId}/stop", null, Ct)).StatusCode);
        var (bob, _) = await server.UserAsync("bob", Roles.Learner, Ct);
        await PersistApi.StartAsync(bob, "two-hosts", Ct);
        var full = await learner.PostAsync($"/api/saved-sessions/{savedId}/continue", null, Ct);
        Assert.Equal(HttpStatusCode.TooManyRequests, full.StatusCode);
        Assert.Equal("total", (await full.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("limit").GetString());
    }

    private static async Task<string> SaveAsync(HttpClient client, string sessionId)
    {
        var save = await client.PostAsync($"/api/sessions/{sessionId}/save", null, Ct);
        Assert.Equal(HttpStatusCode.Created, save.StatusCode);
        return (await save.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetString()!;
    }

    private static async Task<string> PasswordAsync(HttpClient client, string sessionId)
    {
        var session = await client.GetFromJsonAsync<JsonElement>($"/api/sessions/{sessionId}", Ct);
        return session.GetProperty("credentials").EnumerateArray().Single().GetProperty("password").GetString()!;
    }
}
