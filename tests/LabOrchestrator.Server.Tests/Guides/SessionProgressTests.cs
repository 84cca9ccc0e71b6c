using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using LabOrchestrator.Server.Tests.Sessions;

namespace LabOrchestrator.Server.Tests.Guides;

/// <summary>A session's progress through its guide, kept on the server, on one real Podman session.</summary>
[Collection(PodmanSessions.Name)]
public sealed class SessionProgressTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Progress_AdvancesWithChecksAndTicks_IsKeptOnReload_AndInstructorsSeeIt()
    {
        await using var lab = await HelloLinuxSession.StartAsync(Ct);
        var (instructor, learner, other, sessions) = (lab.Instructor, lab.Learner, lab.Other, lab.Sessions);
        var id = lab.Session.Id;
        var guideUrl = $"/api/sessions/{id}/guide";

        // Nothing done yet; totals count every step of the guide.
        var guide = await learner.GetFromJsonAsync<JsonElement>(guideUrl, Ct);
        var total = guide.GetProperty("pages").EnumerateArray().Sum(p => p.GetProperty("steps").GetArrayLength());
        Assert.True(total >= 3);
        Assert.Equal((0, total), Summary(guide.GetProperty("progress")));
        var manual = AllSteps(guide).First(s => !s.GetProperty("hasCheck").GetBoolean()).GetProperty("id").GetString()!;
        var (checkedPage, _) = PageOf(guide, "make-folder");
        Assert.Equal(0, Summary(checkedPage.GetProperty("progress")).Done);

        // A failing check counts the attempt and keeps its feedback, without ticking the step.
        var checkUrl = $"/api/sessions/{id}/guide/steps/make-folder/check";
        var failed = await (await learner.PostAsync(checkUrl, null, Ct)).Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.False(failed.GetProperty("step").GetProperty("done").GetBoolean());
        Assert.Equal(1, failed.GetProperty("step").GetProperty("checkAttempts").GetInt32());
        Assert.Equal((0, total), Summary(failed.GetProperty("progress")));

        // Solved in the node, the check passes and the step is done.
        await lab.SolveAsync("make-folder", Ct);
        var passed = await (await learner.PostAsync(checkUrl, null, Ct)).Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.True(passed.GetProperty("passed").GetBoolean());
        Assert.True(passed.GetProperty("step").GetProperty("done").GetBoolean());
        Assert.Equal("Check", passed.GetProperty("step").GetProperty("method").GetString());
        Assert.Equal(2, passed.GetProperty("step").GetProperty("checkAttempts").GetInt32());
        Assert.Equal((1, total), Summary(passed.GetProperty("progress")));

        // A step without a check is ticked by hand; a checked one cannot be.
        var ticked = await learner.PutAsJsonAsync($"/api/sessions/{id}/guide/steps/{manual}/progress", new { done = true }, Ct);
        Assert.Equal(HttpStatusCode.OK, ticked.StatusCode);
        var tickedBody = await ticked.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal("Manual", tickedBody.GetProperty("step").GetProperty("method").GetString());
        Assert.Equal((2, total), Summary(tickedBody.GetProperty("progress")));
        Assert.Equal(HttpStatusCode.Conflict, (await learner.PutAsJsonAsync($"/api/sessions/{id}/guide/steps/make-folder/progress", new { done = false }, Ct)).StatusCode);
        var noDone = await learner.PutAsync($"/api/sessions/{id}/guide/steps/{manual}/progress", new StringContent("{}", Encoding.UTF8, "application/json"), Ct);
        Assert.Equal(HttpStatusCode.BadRequest, noDone.StatusCode);
        Assert.Contains("\"done\"", await noDone.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);

        // Reading the guide again (a reload) gives the same progress, per step, per page and overall.
        var reloaded = await learner.GetFromJsonAsync<JsonElement>(guideUrl, Ct);
        Assert.Equal((2, total), Summary(reloaded.GetProperty("progress")));
        var (page, makeFolder) = PageOf(reloaded, "make-folder");
        Assert.True(makeFolder.GetProperty("progress").GetProperty("done").GetBoolean());
        Assert.Equal(1, Summary(page.GetProperty("progress")).Done);
        Assert.True(AllSteps(reloaded).Single(s => s.GetProperty("id").GetString() == manual).GetProperty("progress").GetProperty("done").GetBoolean());

        // Instructors follow the learner's progress in the session list and step by step, but cannot tick for them.
        var list = await instructor.GetFromJsonAsync<JsonElement>("/api/sessions", Ct);
        var listed = list.EnumerateArray().Single(s => s.GetProperty("id").GetString() == id);
        Assert.Equal((2, total), Summary(listed.GetProperty("progress")));
        var detail = await instructor.GetFromJsonAsync<JsonElement>($"/api/sessions/{id}/progress", Ct);
        Assert.Equal(2, detail.GetProperty("done").GetInt32());
        Assert.Equal("lea", detail.GetProperty("userId").GetString());
        Assert.Contains(detail.GetProperty("steps").EnumerateArray(), s => s.GetProperty("id").GetString() == "make-folder" && s.GetProperty("progress").GetProperty("done").GetBoolean());
        Assert.Equal(HttpStatusCode.Forbidden, (await instructor.PutAsJsonAsync($"/api/sessions/{id}/guide/steps/{manual}/progress", new { done = false }, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await other.GetAsync($"/api/sessions/{id}/progress", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await other.PutAsJsonAsync($"/api/sessions/{id}/guide/steps/{manual}/progress", new { done = false }, Ct)).StatusCode);

        // The learner can untick a manual step; a stopped session keeps its progress but takes no more ticks.
        await learner.PutAsJsonAsync($"/api/sessions/{id}/guide/steps/{manual}/progress", new { done = false }, Ct);
        await sessions.StopAsync(id, Ct);
        Assert.Equal(HttpStatusCode.Conflict, (await learner.PutAsJsonAsync($"/api/sessions/{id}/guide/steps/{manual}/progress", new { done = true }, Ct)).StatusCode);
        var afterStop = await learner.GetFromJsonAsync<JsonElement>($"/api/sessions/{id}", Ct);
        Assert.Equal((1, total), Summary(afterStop.GetProperty("progress")));
    }

    private static (int Done, int Total) Summary(JsonElement progress) =>
        (progress.GetProperty("done").GetInt32(), progress.GetProperty("total").GetInt32());

    private static IEnumerable<JsonElement> AllSteps(JsonElement guide) =>
        guide.GetProperty("pages").EnumerateArray().SelectMany(p => p.GetProperty("steps").EnumerateArray());

    private static (JsonElement Page, JsonElement Step) PageOf(JsonElement guide, string stepId)
    {
        var page = guide.GetProperty("pages").EnumerateArray().Single(p => p.GetProperty("steps").EnumerateArray().Any(s => s.GetProperty("id").GetString() == stepId));
        return (page, page.GetProperty("steps").EnumerateArray().Single(s => s.GetProperty("id").GetString() == stepId));
    }
}
