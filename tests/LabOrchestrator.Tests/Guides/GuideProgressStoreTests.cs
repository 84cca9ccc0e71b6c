using LabOrchestrator.Guides;
using LabOrchestrator.Persistence;
using LabOrchestrator.Sessions;
using LabOrchestrator.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace LabOrchestrator.Tests.Guides;

/// <summary>Guide progress kept in a real SQLite file.</summary>
public sealed class GuideProgressStoreTests : IDisposable
{
    private readonly TempDirectory temp = new();
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => temp.Dispose();

    [Fact]
    public async Task RecordCheck_FailThenPass_CountsAttemptsKeepsFeedbackAndMarksDoneWhenItPasses()
    {
        await using var host = await LibraryHost.StartAsync(temp.File("store.db"));
        await AddSessionAsync(host, "s1");
        var store = host.Get<IGuideProgressStore>();

        var failed = await store.RecordCheckAsync("s1", "make-folder", new GuideCheckResult(false, ["no folder yet", "and no file"], 1), Ct);
        Assert.False(failed.Done);
        Assert.Equal(1, failed.CheckAttempts);
        Assert.Equal(["no folder yet", "and no file"], failed.LastFeedback);
        Assert.False(failed.LastCheckPassed);

        host.Clock.Advance(TimeSpan.FromMinutes(2));
        var passed = await store.RecordCheckAsync("s1", "make-folder", new GuideCheckResult(true, [], 0), Ct);

        Assert.True(passed.Done);
        Assert.Equal(StepCompletion.Check, passed.Method);
        Assert.Equal(host.Clock.GetUtcNow(), passed.CompletedAt);
        Assert.Equal(2, passed.CheckAttempts);
        Assert.Empty(passed.LastFeedback);
        Assert.Equal(passed, (await store.GetAsync("s1", Ct))["make-folder"], StepProgressComparer);
    }

    [Fact]
    public async Task RecordCheck_FailingAfterItPassed_KeepsTheStepDone()
    {
        await using var host = await LibraryHost.StartAsync(temp.File("store.db"));
        await AddSessionAsync(host, "s1");
        var store = host.Get<IGuideProgressStore>();
        var passed = await store.RecordCheckAsync("s1", "make-file", new GuideCheckResult(true, [], 0), Ct);

        host.Clock.Advance(TimeSpan.FromMinutes(1));
        var later = await store.RecordCheckAsync("s1", "make-file", new GuideCheckResult(false, ["file deleted"], 1), Ct);

        Assert.True(later.Done);
        Assert.Equal(passed.CompletedAt, later.CompletedAt);
        Assert.False(later.LastCheckPassed);
        Assert.Equal(["file deleted"], later.LastFeedback);
    }

    [Fact]
    public async Task SetManual_TicksAndUnticks_AndProgressIsPerSession()
    {
        await using var host = await LibraryHost.StartAsync(temp.File("store.db"));
        await AddSessionAsync(host, "s1");
        await AddSessionAsync(host, "s2");
        var store = host.Get<IGuideProgressStore>();

        var ticked = await store.SetManualAsync("s1", "look-around", true, Ct);
        await store.SetManualAsync("s1", "read-intro", true, Ct);
        Assert.True(ticked.Done);
        Assert.Equal(StepCompletion.Manual, ticked.Method);
        Assert.Equal(host.Clock.GetUtcNow(), ticked.CompletedAt);

        var unticked = await store.SetManualAsync("s1", "read-intro", false, Ct);
        Assert.False(unticked.Done);
        Assert.Null(unticked.CompletedAt);

        var done = await store.GetDoneStepsAsync(["s1", "s2"], Ct);
        Assert.Equal(["look-around"], done["s1"]);
        Assert.False(done.ContainsKey("s2"));
        Assert.Empty(await store.GetAsync("s2", Ct));
    }

    [Fact]
    public async Task Progress_IsDeletedWithItsSession()
    {
        await using var host = await LibraryHost.StartAsync(temp.File("store.db"));
        await AddSessionAsync(host, "s1");
        var store = host.Get<IGuideProgressStore>();
        await store.SetManualAsync("s1", "look-around", true, Ct);

        await using (var db = await host.Get<IDbContextFactory<LabOrchestratorDbContext>>().CreateDbContextAsync(Ct))
        {
            await db.Sessions.Where(s => s.Id == "s1").ExecuteDeleteAsync(Ct);
        }

        Assert.Empty(await store.GetAsync("s1", Ct));
    }

    [Fact]
    public void Summary_CountsOnlyTheStepsTheGuideStillHas()
    {
        GuideStep Step(string id) => new() { Id = id, Page = "p" };
        var progress = new Dictionary<string, StepProgress>
        {
            ["a"] = new() { StepId = "a", Done = true },
            ["b"] = new() { StepId = "b", Done = false, CheckAttempts = 3 },
            ["gone"] = new() { StepId = "gone", Done = true },
        };

        Assert.Equal(new ProgressSummary(1, 3), ProgressSummary.Of([Step("a"), Step("b"), Step("c")], progress));
    }

    private static readonly IEqualityComparer<StepProgress> StepProgressComparer = EqualityComparer<StepProgress>.Create(
        (a, b) => a is not null && b is not null && a with { LastFeedback = [] } == b with { LastFeedback = [] } && a.LastFeedback.SequenceEqual(b.LastFeedback));

    private static async Task AddSessionAsync(LibraryHost host, string id)
    {
        await using var db = await host.Get<IDbContextFactory<LabOrchestratorDbContext>>().CreateDbContextAsync(Ct);
        if (!await db.Users.AnyAsync(u => u.Id == "lea", Ct))
        {
            db.Users.Add(new UserEntity { Id = "lea", CreatedAt = host.Clock.GetUtcNow() });
        }

        db.Sessions.Add(new SessionEntity { Id = id, LabName = "hello-linux", UserId = "lea", Engine = "podman", State = SessionState.Running, LabYaml = "name: hello-linux" });
        await db.SaveChangesAsync(Ct);
    }
}
