using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using LabOrchestrator.Server.Accounts;
using LabOrchestrator.Server.Audit;
using LabOrchestrator.Server.Tests.Labs;
using LabOrchestrator.Server.Tests.Support;

namespace LabOrchestrator.Server.Tests.Sessions;

/// <summary>
/// Issue 15: a learner at the session limit is told so in plain words with their running sessions listed (to stop one),
/// and admins read and change the quotas through the API, audited, with the change in force at once.
/// </summary>
public sealed class QuotaApiTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task LearnerAtTheLimit_Gets429ListingTheirRunningSessions_InPlainWords()
    {
        var engine = new FakeLabEngine();
        await using var server = await ServerHost.StartWithFakeEngineAsync(engine, settings: new Dictionary<string, string?> { ["Quotas:PerUser"] = "1" }, cancellationToken: Ct);
        var (instructor, _) = await server.UserAsync("ines", Roles.Instructor, Ct);
        var (learner, _) = await server.UserAsync("lea", Roles.Learner, Ct);
        await SessionsApi.PublishRepositoryLabAsync(instructor, "hello-linux", Ct);
        var id = (await (await SessionsApi.StartAsync(learner, "hello-linux", Ct)).Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetString()!;
        await SessionsApi.FollowAsync(learner, id, Ct);

        var refused = await SessionsApi.StartAsync(learner, "hello-linux", Ct);

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        var problem = await LabsApi.ProblemAsync(refused, Ct);
        var text = problem.GetRawText();
        Assert.DoesNotContain("Quotas:", text, StringComparison.Ordinal);
        Assert.DoesNotContain("/api/", text, StringComparison.Ordinal);
        Assert.Equal("You already have 1 lab session running, the most you may have at once. Stop one of them, then start this lab again.", problem.GetProperty("detail").GetString());
        var listed = Assert.Single(problem.GetProperty("sessions").EnumerateArray());
        Assert.Equal(id, listed.GetProperty("id").GetString());
        Assert.Equal("hello-linux", listed.GetProperty("lab").GetString());
        Assert.False(string.IsNullOrEmpty(listed.GetProperty("title").GetString()));
        Assert.Equal("Running", listed.GetProperty("state").GetString());
        Assert.True(listed.TryGetProperty("startedAt", out _));
    }

    [Fact]
    public async Task Admin_RaisesALearnersQuota_TheNextStartIsAllowed_AndTheChangeIsAuditedAndKept()
    {
        var engine = new FakeLabEngine();
        await using var server = await ServerHost.StartWithFakeEngineAsync(engine, settings: new Dictionary<string, string?> { ["Quotas:PerUser"] = "1" }, cancellationToken: Ct);
        var (admin, _) = await server.UserAsync("root", Roles.Admin, Ct);
        var (instructor, _) = await server.UserAsync("ines", Roles.Instructor, Ct);
        var (learner, _) = await server.UserAsync("lea", Roles.Learner, Ct);
        await SessionsApi.PublishRepositoryLabAsync(instructor, "hello-linux", Ct);
        await SessionsApi.StartAsync(learner, "hello-linux", Ct);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await SessionsApi.StartAsync(learner, "hello-linux", Ct)).StatusCode);

        var before = await admin.GetFromJsonAsync<JsonElement>("/api/quotas", Ct);
        var forLea = await admin.PutAsJsonAsync("/api/quotas/users/lea", new { perUser = 2 }, Ct);
        var global = await admin.PutAsJsonAsync("/api/quotas", new { total = 30 }, Ct);
        var byLearner = await learner.GetAsync("/api/quotas", Ct);
        var invalid = await admin.PutAsJsonAsync("/api/quotas", new { perUser = 0 }, Ct);

        Assert.Equal(1, before.GetProperty("perUser").GetInt32());
        Assert.Equal(50, before.GetProperty("total").GetInt32());
        Assert.Equal(HttpStatusCode.OK, forLea.StatusCode);
        var after = await global.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal(30, after.GetProperty("total").GetInt32());
        Assert.Equal(50, after.GetProperty("configuredTotal").GetInt32());
        var user = Assert.Single(after.GetProperty("users").EnumerateArray());
        Assert.Equal(("lea", 2), (user.GetProperty("userId").GetString(), user.GetProperty("perUser").GetInt32()));
        Assert.Equal(HttpStatusCode.Forbidden, byLearner.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await SessionsApi.StartAsync(learner, "hello-linux", Ct)).StatusCode);
        var audit = await admin.GetFromJsonAsync<JsonElement[]>($"/api/audit?action={AuditActions.QuotaChanged}", Ct);
        Assert.Equal(["*", "lea"], audit!.Select(e => e.GetProperty("target").GetString()));
        Assert.True(File.Exists(Path.Combine(Path.GetDirectoryName(LabsApi.LabsFolder(server))!, "quotas.json")));
    }
}
