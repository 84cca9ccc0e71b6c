using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using LabOrchestrator.Server.Tests.Gateway;

namespace LabOrchestrator.Server.Tests.Lifecycle;

/// <summary>Idle culling from real activity, and pause/resume, on the fake engine and a fake clock.</summary>
public sealed class IdleAndPauseTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task IdleWarning_IsCancelledByTerminalInput_AndAnUnusedSessionIsCulledAsIdle()
    {
        await using var lab = await LifecycleServer.StartAsync("idleTimeout: 10m", Ct);
        var id = await lab.StartRunningAsync(Ct);
        await using var events = lab.Follow(id, Ct);
        await events.NextAsync("session");

        // An open terminal nobody types in is not activity.
        await using var terminal = await TerminalClient.ConnectAsync(
            new Uri($"ws://{lab.Server.Address.Authority}/gateway/sessions/{id}/nodes/linux/terminal"), lab.LearnerSecret, Ct);
        await lab.AdvanceAsync(TimeSpan.FromMinutes(8) + TimeSpan.FromSeconds(30), Ct);
        var warning = await events.NextAsync("warning", w => w.GetProperty("kind").GetString() == "idle");
        Assert.False(warning.GetProperty("cancelled").GetBoolean());
        Assert.Contains("Still there?", warning.GetProperty("message").GetString());

        await terminal.SendAsync("ls\r", Ct);
        Assert.True(await terminal.WaitForAsync("ls", Ct));
        await lab.AdvanceAsync(LifecycleServer.ReaperPeriod, Ct);
        var cancelled = await events.NextAsync("warning", w => w.GetProperty("kind").GetString() == "idle" && w.GetProperty("cancelled").GetBoolean());
        Assert.True(cancelled.GetProperty("endsAt").GetDateTimeOffset() > warning.GetProperty("endsAt").GetDateTimeOffset());

        // Ten minutes after the input, and nothing since: culled, with the reason shown.
        await lab.AdvanceAsync(TimeSpan.FromMinutes(7), Ct);
        Assert.Equal("Running", (await lab.GetAsync(id, Ct)).GetProperty("state").GetString());
        await lab.AdvanceAsync(TimeSpan.FromMinutes(4), Ct);
        var stopped = await lab.WaitForAsync(id, s => s.GetProperty("state").GetString() == "Stopped", Ct);
        Assert.Equal("Idle", stopped.GetProperty("stopReason").GetString());
        Assert.Equal("This session stopped because nobody used it for 10 minutes.", stopped.GetProperty("stopMessage").GetString());
    }

    [Fact]
    public async Task PageLoadsAndAnInstructorWatching_DoNotCountAsActivity()
    {
        await using var lab = await LifecycleServer.StartAsync("idleTimeout: 10m", Ct);
        var id = await lab.StartRunningAsync(Ct);
        for (var minute = 0; minute < 11; minute++)
        {
            await lab.Learner.GetAsync($"/api/sessions/{id}", Ct);
            await lab.Instructor.PostAsync($"/api/sessions/{id}/activity", null, Ct);
            await lab.AdvanceAsync(TimeSpan.FromMinutes(1), Ct);
        }

        var stopped = await lab.WaitForAsync(id, s => s.GetProperty("state").GetString() == "Stopped", Ct);
        Assert.Equal("Idle", stopped.GetProperty("stopReason").GetString());
    }

    [Fact]
    public async Task PauseAndResume_FreezeTheNodes_StopTheClock_AndRefuseConsolesWhilePaused()
    {
        await using var lab = await LifecycleServer.StartAsync("duration: 30m\nidleTimeout: 10m", Ct);
        var id = await lab.StartRunningAsync(Ct);
        var expires = (await lab.GetAsync(id, Ct)).GetProperty("expiresAt").GetDateTimeOffset();

        var pause = await lab.Learner.PostAsync($"/api/sessions/{id}/pause", null, Ct);
        Assert.Equal(HttpStatusCode.OK, pause.StatusCode);
        var paused = await pause.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal("Paused", paused.GetProperty("state").GetString());
        Assert.True(lab.Engine.IsPaused(id));
        Assert.Equal(30 * 60, paused.GetProperty("timeLeftSeconds").GetInt64());

        var refusal = await TerminalClient.RefusalAsync(new Uri($"ws://{lab.Server.Address.Authority}/gateway/sessions/{id}/nodes/linux/terminal"), lab.LearnerSecret, Ct);
        Assert.Equal(HttpStatusCode.Conflict, refusal);

        // Longer than the idle timeout and the time left: neither runs while paused (pausedFor defaults to 1 h).
        await lab.AdvanceAsync(TimeSpan.FromMinutes(40), Ct);
        var stillPaused = await lab.GetAsync(id, Ct);
        Assert.Equal("Paused", stillPaused.GetProperty("state").GetString());
        Assert.Equal(30 * 60, stillPaused.GetProperty("timeLeftSeconds").GetInt64());

        var resume = await lab.Learner.PostAsync($"/api/sessions/{id}/resume", null, Ct);
        Assert.Equal(HttpStatusCode.OK, resume.StatusCode);
        var resumed = await resume.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal("Running", resumed.GetProperty("state").GetString());
        Assert.False(lab.Engine.IsPaused(id));
        Assert.Equal(expires + TimeSpan.FromMinutes(40), resumed.GetProperty("expiresAt").GetDateTimeOffset());
        // Resuming again is harmless and changes nothing.
        var again = await (await lab.Learner.PostAsync($"/api/sessions/{id}/resume", null, Ct)).Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal(resumed.GetProperty("expiresAt").GetDateTimeOffset(), again.GetProperty("expiresAt").GetDateTimeOffset());
    }

    [Fact]
    public async Task PausedSession_IsWarned_ThenStoppedAsPausedTooLong()
    {
        await using var lab = await LifecycleServer.StartAsync("duration: 2h\npausedFor: 20m", Ct);
        var id = await lab.StartRunningAsync(Ct);
        await using var events = lab.Follow(id, Ct);
        await events.NextAsync("session");
        Assert.Equal(HttpStatusCode.OK, (await lab.Learner.PostAsync($"/api/sessions/{id}/pause", null, Ct)).StatusCode);

        await lab.AdvanceAsync(TimeSpan.FromMinutes(16), Ct);
        var warning = await events.NextAsync("warning", w => w.GetProperty("kind").GetString() == "pausedTooLong");
        Assert.InRange(warning.GetProperty("secondsLeft").GetInt64(), 1, 300);

        await lab.AdvanceAsync(TimeSpan.FromMinutes(5), Ct);
        var stopped = await lab.WaitForAsync(id, s => s.GetProperty("state").GetString() == "Stopped", Ct);
        Assert.Equal("PausedTooLong", stopped.GetProperty("stopReason").GetString());
        Assert.Equal("This session stopped because it stayed paused for more than 20 minutes.", stopped.GetProperty("stopMessage").GetString());
        Assert.False(lab.Engine.Holds(id));
    }

    [Fact]
    public async Task Pause_OfASessionThatDoesNotRun_IsAClearConflict()
    {
        await using var lab = await LifecycleServer.StartAsync("duration: 30m", Ct);
        var id = await lab.StartRunningAsync(Ct);
        await lab.Learner.DeleteAsync($"/api/sessions/{id}", Ct);

        var pause = await lab.Learner.PostAsync($"/api/sessions/{id}/pause", null, Ct);

        Assert.Equal(HttpStatusCode.Conflict, pause.StatusCode);
        var problem = await pause.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal("not-running", problem.GetProperty("code").GetString());
        Assert.Contains("Stopped", problem.GetProperty("detail").GetString());
    }
}
