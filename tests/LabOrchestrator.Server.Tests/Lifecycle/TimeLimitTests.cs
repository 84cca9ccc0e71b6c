using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace LabOrchestrator.Server.Tests.Lifecycle;

/// <summary>The reaper and the time limit, on the fake engine and a fake clock.</summary>
public sealed class TimeLimitTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Session_NearItsEnd_IsWarnedOnTheEventStream_ThenStoppedWithTheReasonShown()
    {
        await using var lab = await LifecycleServer.StartAsync("duration: 30m", Ct);
        var id = await lab.StartRunningAsync(Ct);
        await using var events = lab.Follow(id, Ct);
        await events.NextAsync("session");

        await lab.AdvanceAsync(TimeSpan.FromMinutes(24), Ct);
        var none = await lab.GetAsync(id, Ct);
        Assert.Equal("Running", none.GetProperty("state").GetString());

        await lab.AdvanceAsync(TimeSpan.FromMinutes(2), Ct);
        var warning = await events.NextAsync("warning", w => w.GetProperty("kind").GetString() == "timeLimit");
        Assert.InRange(warning.GetProperty("secondsLeft").GetInt64(), 1, 300);
        Assert.Equal(none.GetProperty("expiresAt").GetDateTimeOffset(), warning.GetProperty("endsAt").GetDateTimeOffset());

        await lab.AdvanceAsync(TimeSpan.FromMinutes(5), Ct);
        var stopped = await events.NextAsync("session", s => s.GetProperty("state").GetString() == "Stopped");
        Assert.Equal("TimeLimit", stopped.GetProperty("stopReason").GetString());
        Assert.Equal("This session stopped because its time was up.", stopped.GetProperty("stopMessage").GetString());
        Assert.False(stopped.TryGetProperty("stoppedBy", out _));
        Assert.False(lab.Engine.Holds(id));
    }

    [Fact]
    public async Task Extend_MovesTheEnd_AndIsRefusedPastTheLabsMaximum()
    {
        await using var lab = await LifecycleServer.StartAsync("duration: 30m\nmaxExtensions: 2\nextendBy: 10m", Ct);
        var id = await lab.StartRunningAsync(Ct);
        var before = (await lab.GetAsync(id, Ct)).GetProperty("expiresAt").GetDateTimeOffset();

        for (var i = 1; i <= 2; i++)
        {
            var extend = await lab.Learner.PostAsync($"/api/sessions/{id}/extend", null, Ct);
            Assert.Equal(HttpStatusCode.OK, extend.StatusCode);
            var session = await extend.Content.ReadFromJsonAsync<JsonElement>(Ct);
            Assert.Equal(before + TimeSpan.FromMinutes(10 * i), session.GetProperty("expiresAt").GetDateTimeOffset());
            Assert.Equal(i, session.GetProperty("extensions").GetInt32());
            Assert.Equal(2, session.GetProperty("maxExtensions").GetInt32());
        }

        var refused = await lab.Learner.PostAsync($"/api/sessions/{id}/extend", null, Ct);
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        var problem = await refused.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal("no-extensions-left", problem.GetProperty("code").GetString());
        Assert.Contains("2 of 2", problem.GetProperty("detail").GetString());
        Assert.Equal(before + TimeSpan.FromMinutes(20), (await lab.GetAsync(id, Ct)).GetProperty("expiresAt").GetDateTimeOffset());

        // The extended end holds: past the first end it still runs, past the new one it stops.
        await lab.AdvanceAsync(TimeSpan.FromMinutes(40), Ct);
        Assert.Equal("Running", (await lab.GetAsync(id, Ct)).GetProperty("state").GetString());
        await lab.AdvanceAsync(TimeSpan.FromMinutes(11), Ct);
        var stopped = await lab.WaitForAsync(id, s => s.GetProperty("state").GetString() == "Stopped", Ct);
        Assert.Equal("TimeLimit", stopped.GetProperty("stopReason").GetString());
    }

    [Fact]
    public async Task Extend_WithoutExtensionsOrTimeLimit_IsAClearConflict()
    {
        await using var lab = await LifecycleServer.StartAsync("idleTimeout: 30m", Ct);
        var id = await lab.StartRunningAsync(Ct);

        var refused = await lab.Learner.PostAsync($"/api/sessions/{id}/extend", null, Ct);

        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        var problem = await refused.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal("no-time-limit", problem.GetProperty("code").GetString());
    }

    [Fact]
    public async Task Stop_ByTheLearnerOrAnInstructor_RecordsWhoAndWhy()
    {
        await using var lab = await LifecycleServer.StartAsync("duration: 30m", Ct);
        var own = await lab.StartRunningAsync(Ct);
        var other = await lab.StartRunningAsync(Ct);

        var byLearner = await (await lab.Learner.DeleteAsync($"/api/sessions/{own}", Ct)).Content.ReadFromJsonAsync<JsonElement>(Ct);
        var byInstructor = await (await lab.Instructor.PostAsync($"/api/sessions/{other}/stop", null, Ct)).Content.ReadFromJsonAsync<JsonElement>(Ct);

        Assert.Equal("Learner", byLearner.GetProperty("stopReason").GetString());
        Assert.Equal("lea", byLearner.GetProperty("stoppedBy").GetString());
        Assert.Equal("You stopped this session.", byLearner.GetProperty("stopMessage").GetString());
        Assert.Equal("Instructor", byInstructor.GetProperty("stopReason").GetString());
        Assert.Equal("ines", byInstructor.GetProperty("stoppedBy").GetString());
        var seenByLearner = await lab.GetAsync(other, Ct);
        Assert.Equal("An instructor (ines) stopped this session.", seenByLearner.GetProperty("stopMessage").GetString());
    }

    [Fact]
    public async Task EventStream_StaysOpenWhileTheSessionRuns_AndEndsWhenItStops()
    {
        await using var lab = await LifecycleServer.StartAsync("duration: 30m", Ct);
        var id = await lab.StartRunningAsync(Ct);
        await using var events = lab.Follow(id, Ct);
        Assert.Equal("Running", (await events.NextAsync("session")).GetProperty("state").GetString());

        await Task.Delay(200, Ct);
        Assert.False(events.Ended);
        await lab.Learner.DeleteAsync($"/api/sessions/{id}", Ct);

        await events.NextAsync("session", s => s.GetProperty("state").GetString() == "Stopped");
        await lab.WaitUntilAsync(() => events.Ended, Ct);
    }
}
