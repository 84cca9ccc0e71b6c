using System.Net;
using System.Net.Http.Json;
using System.Net.ServerSentEvents;
using System.Text.Json;
using LabOrchestrator.Server.Accounts;
using LabOrchestrator.Server.Audit;
using LabOrchestrator.Server.Tests.Labs;
using LabOrchestrator.Server.Tests.Support;

namespace LabOrchestrator.Server.Tests.Sessions;

/// <summary>
/// Issue 15: what learners and instructors read when a node cannot start, when a lab's image is missing and when a
/// session is stopped, on a real server with the fake engine.
/// </summary>
public sealed class LearnerSafeStatusTests
{
    private const string MissingImage = "localhost/issue15-missing:1";
    private const string EngineText = "pinging container registry localhost: Get https://localhost/v2/";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task NodeThatCannotStart_LearnerReadsWhatToDo_InstructorReadsTheEnginesWords()
    {
        var engine = new FakeLabEngine { ImageExists = image => image != MissingImage };
        await using var server = await ServerHost.StartWithFakeEngineAsync(engine, cancellationToken: Ct);
        var (instructor, _) = await server.UserAsync("ines", Roles.Instructor, Ct);
        var (learner, _) = await server.UserAsync("lea", Roles.Learner, Ct);
        Assert.True((await LabsApi.PutAsync(instructor, "broken", $"name: broken\nnodes:\n  - name: box\n    image: {MissingImage}\n", Ct)).IsSuccessStatusCode);
        Assert.Equal(HttpStatusCode.OK, (await instructor.PostAsync("/api/labs/broken/publish", null, Ct)).StatusCode);
        engine.ApplyFailure = new Engines.EngineException(EngineText);

        var id = (await (await SessionsApi.StartAsync(learner, "broken", Ct)).Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetString()!;
        var events = await SessionsApi.FollowAsync(learner, id, Ct);
        var learnerView = await learner.GetFromJsonAsync<JsonElement>($"/api/sessions/{id}", Ct);
        var learnerTexts = string.Join("\n", events.Select(e => e.GetRawText()).Append(learnerView.GetRawText()).Append(await learner.GetStringAsync("/api/sessions", Ct)));
        var instructorView = await instructor.GetFromJsonAsync<JsonElement>($"/api/sessions/{id}", Ct);

        Assert.Equal("Failed", learnerView.GetProperty("state").GetString());
        Assert.DoesNotContain("pinging", learnerTexts, StringComparison.Ordinal);
        Assert.DoesNotContain("\"detail\"", learnerTexts, StringComparison.Ordinal);
        var creating = events.SelectMany(e => e.GetProperty("nodes").EnumerateArray()).First(n => n.GetProperty("state").GetString() == "Creating");
        Assert.Equal("Starting.", creating.GetProperty("message").GetString());
        Assert.Contains("pinging container registry", instructorView.GetProperty("failureDetail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task FailedNode_HasAPlainMessageForEveryone_AndTheDetailForInstructorsOnly()
    {
        var engine = new FakeLabEngine { ImageExists = image => image != MissingImage };
        await using var server = await ServerHost.StartWithFakeEngineAsync(engine, cancellationToken: Ct);
        var (instructor, _) = await server.UserAsync("ines", Roles.Instructor, Ct);
        var (learner, _) = await server.UserAsync("lea", Roles.Learner, Ct);
        Assert.True((await LabsApi.PutAsync(instructor, "broken", $"name: broken\nnodes:\n  - name: box\n    image: {MissingImage}\n", Ct)).IsSuccessStatusCode);
        await instructor.PostAsync("/api/labs/broken/publish", null, Ct);

        var id = (await (await SessionsApi.StartAsync(learner, "broken", Ct)).Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetString()!;
        await SessionsApi.FollowAsync(learner, id, Ct);
        var learnerNode = (await learner.GetFromJsonAsync<JsonElement>($"/api/sessions/{id}", Ct)).GetProperty("nodes")[0];
        var instructorNode = (await instructor.GetFromJsonAsync<JsonElement>($"/api/sessions/{id}", Ct)).GetProperty("nodes")[0];

        Assert.Equal("Failed", learnerNode.GetProperty("state").GetString());
        Assert.Equal("This machine could not start. Try starting the lab again; if it fails again, please tell your instructor.", learnerNode.GetProperty("message").GetString());
        Assert.False(learnerNode.TryGetProperty("detail", out _));
        Assert.Equal(learnerNode.GetProperty("message").GetString(), instructorNode.GetProperty("message").GetString());
        Assert.Contains(MissingImage, instructorNode.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task UploadAndPublish_OfALabWhoseImageIsMissing_WarnButStoreIt_AndAreAudited()
    {
        var engine = new FakeLabEngine { ImageExists = image => image != MissingImage };
        await using var server = await ServerHost.StartWithFakeEngineAsync(engine, cancellationToken: Ct);
        var (instructor, _) = await server.UserAsync("ines", Roles.Instructor, Ct);
        var (admin, _) = await server.UserAsync("root", Roles.Admin, Ct);

        var upload = await LabsApi.PutAsync(instructor, "broken", $"name: broken\nnodes:\n  - name: box\n    image: {MissingImage}\n  - name: ok\n    image: busybox\n", Ct);
        var publish = await instructor.PostAsync("/api/labs/broken/publish", null, Ct);
        var unpublish = await instructor.PostAsync("/api/labs/broken/unpublish", null, Ct);
        var delete = await instructor.DeleteAsync("/api/labs/broken", Ct);

        Assert.Equal(HttpStatusCode.Created, upload.StatusCode);
        foreach (var response in new[] { upload, publish })
        {
            var warning = Assert.Single((await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("warnings").EnumerateArray());
            Assert.Equal("box", warning.GetProperty("node").GetString());
            Assert.Equal(MissingImage, warning.GetProperty("image").GetString());
            Assert.False(warning.GetProperty("present").GetBoolean());
            Assert.Contains("will fail to start", warning.GetProperty("message").GetString(), StringComparison.Ordinal);
        }

        Assert.False((await unpublish.Content.ReadFromJsonAsync<JsonElement>(Ct)).TryGetProperty("warnings", out _));
        Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);
        var entries = await admin.GetFromJsonAsync<JsonElement[]>("/api/audit?user=ines", Ct);
        Assert.Equal(
            [AuditActions.LabDeleted, AuditActions.LabUnpublished, AuditActions.LabPublished, AuditActions.LabUploaded],
            entries!.Select(e => e.GetProperty("action").GetString()));
        Assert.All(entries!, e => Assert.Equal("broken", e.GetProperty("target").GetString()));
    }

    [Fact]
    public async Task InstructorStopsALearnersSession_TheLearnerSeesStoppingThenStopped_WithWhoAndWhy()
    {
        var engine = new FakeLabEngine();
        await using var server = await ServerHost.StartWithFakeEngineAsync(engine, cancellationToken: Ct);
        var (instructor, _) = await server.UserAsync("ines", Roles.Instructor, Ct);
        var (learner, _) = await server.UserAsync("lea", Roles.Learner, Ct);
        await SessionsApi.PublishRepositoryLabAsync(instructor, "hello-linux", Ct);
        var id = (await (await SessionsApi.StartAsync(learner, "hello-linux", Ct)).Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetString()!;
        await SessionsApi.FollowAsync(learner, id, Ct);

        using var events = await learner.GetAsync($"/api/sessions/{id}/events", HttpCompletionOption.ResponseHeadersRead, Ct);
        var seen = ReadUntilStoppedAsync(events);
        var stop = await instructor.PostAsync($"/api/sessions/{id}/stop", null, Ct);
        var states = await seen;

        Assert.Equal(HttpStatusCode.OK, stop.StatusCode);
        Assert.Equal(["Running", "Stopping", "Stopped"], states.Select(s => s.GetProperty("state").GetString()).Distinct());
        foreach (var session in states.Where(s => s.GetProperty("state").GetString() != "Running"))
        {
            Assert.Equal("Instructor", session.GetProperty("stopReason").GetString());
            Assert.Equal("ines", session.GetProperty("stoppedBy").GetString());
            Assert.Contains("An instructor (ines) stopped this session.", session.GetProperty("stopMessage").GetString(), StringComparison.Ordinal);
        }

        Assert.StartsWith("This session is stopping.", states.First(s => s.GetProperty("state").GetString() == "Stopping").GetProperty("stopMessage").GetString(), StringComparison.Ordinal);
    }

    private static async Task<List<JsonElement>> ReadUntilStoppedAsync(HttpResponseMessage response)
    {
        await using var stream = await response.Content.ReadAsStreamAsync(Ct);
        var seen = new List<JsonElement>();
        await foreach (var item in SseParser.Create(stream).EnumerateAsync(Ct))
        {
            var session = JsonSerializer.Deserialize<JsonElement>(item.Data);
            seen.Add(session);
            if (session.GetProperty("state").GetString() == "Stopped")
            {
                break;
            }
        }

        return seen;
    }
}
