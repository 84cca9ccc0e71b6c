using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using LabOrchestrator.Engines;
using LabOrchestrator.Server.Accounts;
using LabOrchestrator.Server.Audit;
using LabOrchestrator.Server.Sessions;
using LabOrchestrator.Server.Tests.Labs;
using LabOrchestrator.Server.Tests.Support;
using LabOrchestrator.Sessions;
using Microsoft.Extensions.DependencyInjection;

namespace LabOrchestrator.Server.Tests.Sessions;

/// <summary>The tests that start real sessions on Podman; kept few, since every start costs about a second.</summary>
[Collection(PodmanSessions.Name)]
public sealed class SessionFlowTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Learner_StartsFollowsAndStopsTwoHosts_AndNothingIsLeftInPodman()
    {
        await using var server = await ServerHost.StartAsync(cancellationToken: Ct);
        var (instructor, _) = await server.UserAsync("ines", Roles.Instructor, Ct);
        var (learner, _) = await server.UserAsync("lea", Roles.Learner, Ct);
        var (other, _) = await server.UserAsync("bob", Roles.Learner, Ct);
        await SessionsApi.PublishRepositoryLabAsync(instructor, "two-hosts", Ct);

        Assert.Contains("two-hosts", await LabsApi.NamesAsync(learner, Ct));
        var start = await SessionsApi.StartAsync(learner, "two-hosts", Ct);
        Assert.Equal(HttpStatusCode.Accepted, start.StatusCode);
        var pending = await start.Content.ReadFromJsonAsync<JsonElement>(Ct);
        var id = pending.GetProperty("id").GetString()!;
        Assert.Equal("Pending", pending.GetProperty("state").GetString());
        Assert.Equal($"/api/sessions/{id}", start.Headers.Location?.OriginalString);
        var stopping = server.Services.GetRequiredService<SessionLifetimes>().GetStoppingToken(id);

        var events = await SessionsApi.FollowAsync(learner, id, Ct);
        var session = await learner.GetFromJsonAsync<JsonElement>($"/api/sessions/{id}", Ct);

        Assert.Equal("Running", events[^1].GetProperty("state").GetString());
        Assert.True(events.Count >= 2, $"expected progress events, got {events.Count}");
        Assert.Equal("Running", session.GetProperty("state").GetString());
        Assert.Equal(2, session.GetProperty("nodes").GetArrayLength());
        Assert.All(session.GetProperty("nodes").EnumerateArray(), n => Assert.Equal("Running", n.GetProperty("state").GetString()));
        var credential = session.GetProperty("credentials")[0];
        Assert.Equal("learner", credential.GetProperty("username").GetString());
        Assert.False(string.IsNullOrEmpty(credential.GetProperty("password").GetString()));
        Assert.InRange(session.GetProperty("timeLeftSeconds").GetInt64(), 3000, 3600);

        // Another learner can neither see, follow nor stop it.
        Assert.Equal(HttpStatusCode.Forbidden, (await other.GetAsync($"/api/sessions/{id}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await other.GetAsync($"/api/sessions/{id}/events", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await other.DeleteAsync($"/api/sessions/{id}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await other.PostAsync($"/api/sessions/{id}/stop", null, Ct)).StatusCode);
        Assert.Empty((await other.GetFromJsonAsync<JsonElement>("/api/sessions", Ct)).EnumerateArray());
        var all = await instructor.GetFromJsonAsync<JsonElement>("/api/sessions?lab=two-hosts&user=lea&state=running", Ct);
        Assert.Equal(id, all[0].GetProperty("id").GetString());
        Assert.False(stopping.IsCancellationRequested);

        var stop = await learner.DeleteAsync($"/api/sessions/{id}", Ct);

        Assert.Equal(HttpStatusCode.OK, stop.StatusCode);
        Assert.Equal("Stopped", (await stop.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("state").GetString());
        Assert.True(stopping.IsCancellationRequested);
        var engine = server.Services.GetRequiredService<ILabEngines>().Default;
        Assert.Empty(await engine.ListAsync(new Dictionary<string, string> { [LabLabels.Session] = id }, Ct));
        var audit = await server.Services.GetRequiredService<IAuditLog>().ListAsync(new AuditQuery { SessionId = id }, Ct);
        Assert.Contains(audit, e => e.Action == AuditActions.SessionStarted && e.UserId == "lea" && e.RemoteAddress is not null);
        Assert.Contains(audit, e => e.Action == AuditActions.SessionStopped && e.UserId == "lea");
        var finished = await SessionsApi.FollowAsync(learner, id, Ct);
        Assert.Equal("Stopped", Assert.Single(finished).GetProperty("state").GetString());
    }

    [Fact]
    public async Task Learner_ThirdSession_Gets429ListingTheirSessions_AndStopDuringStartLeavesNothing()
    {
        await using var server = await ServerHost.StartAsync(cancellationToken: Ct);
        var (instructor, _) = await server.UserAsync("ines", Roles.Instructor, Ct);
        var (learner, _) = await server.UserAsync("lea", Roles.Learner, Ct);
        await SessionsApi.PublishRepositoryLabAsync(instructor, "hello-linux", Ct);

        var first = await (await SessionsApi.StartAsync(learner, "hello-linux", Ct)).Content.ReadFromJsonAsync<JsonElement>(Ct);
        var second = await SessionsApi.StartAsync(learner, "hello-linux", Ct);
        var third = await SessionsApi.StartAsync(learner, "hello-linux", Ct);

        Assert.Equal(HttpStatusCode.Accepted, second.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, third.StatusCode);
        var problem = await LabsApi.ProblemAsync(third, Ct);
        Assert.Equal("perUser", problem.GetProperty("limit").GetString());
        Assert.Equal(2, problem.GetProperty("max").GetInt32());
        Assert.DoesNotContain("Quotas:", problem.GetRawText(), StringComparison.Ordinal);
        Assert.Contains("Stop one of them", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(2, problem.GetProperty("sessions").GetArrayLength());

        // Stopped at once, while its start is still under way: the stop waits for the start to let go, then removes all.
        var firstId = first.GetProperty("id").GetString()!;
        var stop = await learner.PostAsync($"/api/sessions/{firstId}/stop", null, Ct);
        Assert.Equal(HttpStatusCode.OK, stop.StatusCode);
        Assert.Equal("Stopped", (await stop.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("state").GetString());
        var engine = server.Services.GetRequiredService<ILabEngines>().Default;
        Assert.Empty(await engine.ListAsync(new Dictionary<string, string> { [LabLabels.Session] = firstId }, Ct));

        // A place is free again. Both starts are followed to their end, so that the host's clean-up does not race them.
        var again = await SessionsApi.StartAsync(learner, "hello-linux", Ct);
        Assert.Equal(HttpStatusCode.Accepted, again.StatusCode);
        foreach (var response in new[] { second, again })
        {
            var id = (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetString()!;
            Assert.Equal("Running", (await SessionsApi.FollowAsync(learner, id, Ct))[^1].GetProperty("state").GetString());
        }
    }

    [Fact]
    public async Task FailedStart_OnTheHostsAccount_LearnerReadsAPlainReason_InstructorReadsTheDetailAndFix()
    {
        await using var server = await ServerHost.StartAsync(cancellationToken: Ct);
        var (instructor, _) = await server.UserAsync("ines", Roles.Instructor, Ct);
        var (learner, _) = await server.UserAsync("lea", Roles.Learner, Ct);
        const string Image = "localhost/lab-server-test-missing-image:1";
        var upload = await LabsApi.PutAsync(instructor, "missing-image", $"name: missing-image\nnodes:\n  - name: box\n    image: {Image}\n", Ct);
        Assert.True(upload.IsSuccessStatusCode, await upload.Content.ReadAsStringAsync(Ct));
        Assert.Equal(HttpStatusCode.OK, (await instructor.PostAsync("/api/labs/missing-image/publish", null, Ct)).StatusCode);

        var id = (await (await SessionsApi.StartAsync(learner, "missing-image", Ct)).Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetString()!;
        var events = await SessionsApi.FollowAsync(learner, id, Ct);
        var seenByLearner = await learner.GetStringAsync($"/api/sessions/{id}", Ct);
        var listedForLearner = await learner.GetStringAsync("/api/sessions", Ct);
        var seenByInstructor = await instructor.GetFromJsonAsync<JsonElement>($"/api/sessions/{id}", Ct);

        Assert.Equal("Failed", events[^1].GetProperty("state").GetString());
        Assert.Equal(SessionFailure.HostReason, events[^1].GetProperty("failureReason").GetString());
        // Nothing of the engine's words reaches the learner: not in the events, the session or the list.
        foreach (var text in new[] { string.Join("\n", events.Select(e => e.GetRawText())), seenByLearner, listedForLearner })
        {
            Assert.DoesNotContain("lab-server-test-missing-image", text, StringComparison.Ordinal);
            Assert.DoesNotContain("failureDetail", text, StringComparison.Ordinal);
        }

        Assert.Equal(SessionFailure.HostReason, seenByInstructor.GetProperty("failureReason").GetString());
        var detail = seenByInstructor.GetProperty("failureDetail").GetString()!;
        Assert.Contains(Image, detail, StringComparison.Ordinal);
        Assert.Contains("Fix: ", detail, StringComparison.Ordinal);
    }
}
