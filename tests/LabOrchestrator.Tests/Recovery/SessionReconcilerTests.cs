using System.Collections.Concurrent;
using LabOrchestrator.Engines;
using LabOrchestrator.Sessions;
using LabOrchestrator.Tests.Support;
using LabOrchestrator.Users;
using Microsoft.Extensions.Time.Testing;

namespace LabOrchestrator.Tests.Recovery;

/// <summary>Every decision of the reconciler, on the fake engine and a fake clock.</summary>
public sealed class SessionReconcilerTests : IDisposable
{
    private readonly TempDirectory temp = new();
    private readonly FakeLabEngine engine = new();
    private readonly FakeTimeProvider clock = new(new DateTimeOffset(2026, 11, 1, 9, 0, 0, TimeSpan.Zero));

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => temp.Dispose();

    private Task<RecoveryHost> HostAsync(IReconcileObserver? observer = null) =>
        RecoveryHost.StartAsync(temp.File("store.db"), engine, clock, observer);

    [Fact]
    public async Task Reconcile_ObjectsOfThisInstanceThatNoSessionOwns_AreRemoved()
    {
        await using var host = await HostAsync();
        var instance = await host.InstanceAsync();
        engine.AddObject(Volume("ghost-data", "ghost1234567", instance));
        engine.AddObject(Volume("ghost-net", "ghost1234567", instance, kind: "network"));

        var report = await host.Reconciler.ReconcileAsync(cancellationToken: Ct);

        Assert.Equal(ReconcileActionKind.RemovedOrphans, Assert.Single(report.Actions).Kind);
        Assert.Empty(engine.Objects);
    }

    [Fact]
    public async Task Reconcile_ObjectsOfStoppedSession_AreRemoved()
    {
        await using var host = await HostAsync();
        var session = await host.StartRunningAsync();
        await host.Sessions.StopAsync(session.Id, Ct);
        // A start in another process went on applying after the stop finished.
        engine.AddObject(Volume("late-pod", session.Id, await host.InstanceAsync(), kind: "pod"));

        var report = await host.Reconciler.ReconcileAsync(cancellationToken: Ct);

        Assert.Equal(1, report.Count(ReconcileActionKind.RemovedOrphans));
        Assert.Empty(engine.Objects);
        Assert.Equal(SessionState.Stopped, (await host.GetAsync(session.Id)).State);
    }

    [Fact]
    public async Task Reconcile_ObjectsOfAnotherInstanceOrUnlabelled_AreKept()
    {
        await using var host = await HostAsync();
        engine.AddObject(Volume("theirs", "other1234567", "another-database"));
        engine.AddObject(Volume("old", "older1234567", instance: null));

        var report = await host.Reconciler.ReconcileAsync(cancellationToken: Ct);

        Assert.Empty(report.Actions);
        Assert.Equal(2, engine.Objects.Count);
    }

    [Fact]
    public async Task Reconcile_PersistentObjects_AreNeverRemoved()
    {
        await using var host = await HostAsync();
        var instance = await host.InstanceAsync();
        var kept = Volume("ann-pair-home", "gone12345678", instance, persistent: true);
        engine.AddObject(kept);
        engine.AddObject(Volume("gone-data", "gone12345678", instance));
        var session = await host.StartRunningAsync();
        await host.Sessions.StopAsync(session.Id, Ct);
        engine.AddObject(Volume("ann-pair-work", session.Id, instance, persistent: true));

        await host.Reconciler.ReconcileAsync(cancellationToken: Ct);

        Assert.Equal(["ann-pair-home", "ann-pair-work"], engine.Objects.Select(o => o.Name).Order());
    }

    [Fact]
    public async Task Reconcile_RunningSessionWhosePodVanished_IsFailedWithReasonAndTheRestRemoved()
    {
        await using var host = await HostAsync();
        var session = await host.StartRunningAsync();
        engine.VanishNode(session.Id, "client");

        var report = await host.Reconciler.ReconcileAsync(cancellationToken: Ct);

        var failed = await host.GetAsync(session.Id);
        Assert.Equal(ReconcileActionKind.FailedVanished, Assert.Single(report.Actions).Kind);
        Assert.Equal(SessionState.Failed, failed.State);
        Assert.Equal(RecoveryFailures.VanishedReason, failed.FailureReason);
        Assert.Contains("node(s) client", failed.FailureDetail);
        Assert.DoesNotContain("fake", failed.FailureReason, StringComparison.OrdinalIgnoreCase);
        Assert.False(engine.Holds(session.Id));
    }

    [Fact]
    public async Task Reconcile_RunningSessionWithAllItsPods_IsLeftRunning()
    {
        await using var host = await HostAsync();
        var session = await host.StartRunningAsync();

        var report = await host.Reconciler.ReconcileAsync(cancellationToken: Ct);

        Assert.Empty(report.Actions);
        Assert.Equal(SessionState.Running, (await host.GetAsync(session.Id)).State);
        Assert.True(engine.Holds(session.Id));
    }

    [Fact]
    public async Task Reconcile_StoppingWhoseStopperDied_IsRemovedAndStopped()
    {
        await using var host = await HostAsync();
        var session = await host.StartRunningAsync();
        await host.LeaveAsKilledAsync(session.Id, SessionState.Stopping, host.Options.HeartbeatTimeout + TimeSpan.FromSeconds(1));

        var report = await host.Reconciler.ReconcileAsync(cancellationToken: Ct);

        var stopped = await host.GetAsync(session.Id);
        Assert.Equal(ReconcileActionKind.FinishedStop, Assert.Single(report.Actions).Kind);
        Assert.Equal(SessionState.Stopped, stopped.State);
        Assert.NotNull(stopped.StoppedAt);
        Assert.Null(stopped.FailureReason);
        Assert.False(engine.Holds(session.Id));
        Assert.Equal((null, null), await host.OperationAsync(session.Id));
    }

    [Theory]
    [InlineData(SessionState.Starting)]
    [InlineData(SessionState.Pending)]
    public async Task Reconcile_StartWhoseStarterDied_IsRemovedAndFailedClearly(SessionState state)
    {
        await using var host = await HostAsync();
        var session = await host.StartRunningAsync();
        await host.LeaveAsKilledAsync(session.Id, state, host.Options.HeartbeatTimeout + TimeSpan.FromSeconds(1));

        var report = await host.Reconciler.ReconcileAsync(cancellationToken: Ct);

        var failed = await host.GetAsync(session.Id);
        Assert.Equal(ReconcileActionKind.FailedInterruptedStart, Assert.Single(report.Actions).Kind);
        Assert.Equal(SessionState.Failed, failed.State);
        Assert.Equal(RecoveryFailures.InterruptedReason, failed.FailureReason);
        Assert.Contains("dead-host/4242", failed.FailureDetail);
        Assert.All(failed.Nodes, n => Assert.Equal(NodeState.Stopped, n.State));
        Assert.False(engine.Holds(session.Id));
    }

    [Fact]
    public async Task Reconcile_OperationWithFreshHeartbeat_IsLeftAlone()
    {
        await using var host = await HostAsync();
        var session = await host.StartRunningAsync();
        await host.LeaveAsKilledAsync(session.Id, SessionState.Stopping, host.Options.HeartbeatTimeout - TimeSpan.FromSeconds(1), owner: "labctl-host/77/aaaaaaaaaaaa");

        var report = await host.Reconciler.ReconcileAsync(cancellationToken: Ct);

        Assert.Equal(ReconcileActionKind.LeftLiveOperation, Assert.Single(report.Actions).Kind);
        Assert.Equal(SessionState.Stopping, (await host.GetAsync(session.Id)).State);
        Assert.True(engine.Holds(session.Id));
        Assert.Equal(0, engine.Deletes.GetValueOrDefault(session.Id));
    }

    [Fact]
    public async Task Reconcile_StartRunningInAnotherProcess_IsLeftAloneForAsLongAsItBeats()
    {
        await using var starter = await HostAsync();
        await using var other = await HostAsync();
        engine.HoldApplies();
        var created = await starter.Sessions.CreateAsync("pair", new UserRef("ann"), Ct);
        var running = starter.Sessions.RunAsync(created.Id, cancellationToken: Ct);
        await WaitAsync(async () => (await starter.GetAsync(created.Id)).State == SessionState.Starting);

        // Well past the heartbeat timeout, one beat at a time: the starter renews its heartbeat each interval.
        var beats = (int)(starter.Options.HeartbeatTimeout / starter.Options.HeartbeatInterval) + 2;
        for (var i = 0; i < beats; i++)
        {
            var due = clock.GetUtcNow() + starter.Options.HeartbeatInterval;
            clock.Advance(starter.Options.HeartbeatInterval);
            // The beat loop may not have set its next timer yet when the clock moved: nudge the clock until it beats.
            await WaitAsync(async () =>
            {
                if ((await starter.OperationAsync(created.Id)).Heartbeat >= due)
                {
                    return true;
                }

                clock.Advance(TimeSpan.FromMilliseconds(10));
                return false;
            });
        }

        var report = await other.Reconciler.ReconcileAsync(cancellationToken: Ct);

        Assert.Equal(ReconcileActionKind.LeftLiveOperation, Assert.Single(report.Actions).Kind);
        Assert.Equal(starter.OwnerId, (await starter.OperationAsync(created.Id)).Owner);
        engine.ReleaseApplies();
        Assert.Equal(SessionState.Running, (await running).State);
        Assert.Equal((null, null), await starter.OperationAsync(created.Id));
    }

    [Fact]
    public async Task Reconcile_JustCreatedSessionNotYetRun_IsLeftAlone()
    {
        await using var host = await HostAsync();
        var created = await host.Sessions.CreateAsync("pair", new UserRef("ann"), Ct);

        var report = await host.Reconciler.ReconcileAsync(cancellationToken: Ct);

        Assert.Equal(SessionState.Pending, (await host.GetAsync(created.Id)).State);
        Assert.All(report.Actions, a => Assert.Equal(ReconcileActionKind.LeftLiveOperation, a.Kind));
    }

    [Fact]
    public async Task Reconcile_FailedSessionHoldingObjects_HasThemRemoved()
    {
        await using var host = await HostAsync();
        var session = await host.StartRunningAsync();
        await host.LeaveAsKilledAsync(session.Id, SessionState.Failed, TimeSpan.FromHours(1));

        var report = await host.Reconciler.ReconcileAsync(cancellationToken: Ct);

        Assert.Equal(ReconcileActionKind.RemovedLeftovers, Assert.Single(report.Actions).Kind);
        Assert.False(engine.Holds(session.Id));
    }

    [Fact]
    public async Task Reconcile_EveryAction_IsToldToObservers()
    {
        var observer = new RecordingObserver();
        await using var host = await HostAsync(observer);
        var session = await host.StartRunningAsync();
        engine.Vanish(session.Id);

        await host.Reconciler.ReconcileAsync(cancellationToken: Ct);

        var seen = Assert.Single(observer.Actions);
        Assert.Equal((ReconcileActionKind.FailedVanished, session.Id), (seen.Kind, seen.SessionId));
    }

    [Fact]
    public async Task Run_CancelledByItsCaller_LeavesTheSessionFailedAndNothingRunning()
    {
        await using var host = await HostAsync();
        engine.HoldApplies();
        var created = await host.Sessions.CreateAsync("pair", new UserRef("ann"), Ct);
        using var cancel = new CancellationTokenSource();
        var running = host.Sessions.RunAsync(created.Id, cancellationToken: cancel.Token);
        await WaitAsync(() => Task.FromResult(engine.Holds(created.Id)));

        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => running);
        var failed = await host.GetAsync(created.Id);
        Assert.Equal(SessionState.Failed, failed.State);
        Assert.Equal(RecoveryFailures.InterruptedReason, failed.FailureReason);
        Assert.False(engine.Holds(created.Id));
    }

    [Fact]
    public async Task Stop_DuringAStartItCancelled_EndsStoppedWithoutAFailureReason()
    {
        await using var host = await HostAsync();
        engine.HoldApplies();
        var created = await host.Sessions.CreateAsync("pair", new UserRef("ann"), Ct);
        using var cancel = new CancellationTokenSource();
        var running = host.Sessions.RunAsync(created.Id, cancellationToken: cancel.Token);
        await WaitAsync(() => Task.FromResult(engine.Holds(created.Id)));
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => running);

        var stopped = await host.Sessions.StopAsync(created.Id, Ct);

        Assert.Equal(SessionState.Stopped, stopped.State);
        Assert.Null(stopped.FailureReason);
    }

    [Fact]
    public async Task Reconcile_SessionWhoseStartFinishesJustAfterTheEngineIsListed_IsLeftRunning()
    {
        await using var host = await HostAsync();
        var created = await host.Sessions.CreateAsync("pair", new UserRef("ann"), Ct);
        // The listing misses the session's pods; its start finishes before the reconciler looks at the database.
        engine.AfterList = async () =>
        {
            engine.AfterList = null;
            await host.Sessions.RunAsync(created.Id, cancellationToken: Ct);
        };

        var report = await host.Reconciler.ReconcileAsync(cancellationToken: Ct);

        Assert.DoesNotContain(report.Actions, a => a.Kind == ReconcileActionKind.FailedVanished);
        Assert.Equal(SessionState.Running, (await host.GetAsync(created.Id)).State);
        Assert.True(engine.Holds(created.Id));
    }

    [Fact]
    public async Task Reconcile_SessionStartedJustBeforeTheEngineIsListed_IsNotTakenForAnOrphan()
    {
        await using var host = await HostAsync();
        Session? started = null;
        engine.BeforeList = async () =>
        {
            engine.BeforeList = null;
            started = await host.StartRunningAsync();
        };

        var report = await host.Reconciler.ReconcileAsync(cancellationToken: Ct);

        Assert.NotNull(started);
        Assert.DoesNotContain(report.Actions, a => a.Kind == ReconcileActionKind.RemovedOrphans);
        Assert.Equal(SessionState.Running, (await host.GetAsync(started.Id)).State);
        Assert.True(engine.Holds(started.Id));
    }

    [Fact]
    public async Task Reconcile_WhileANodeIsReset_LeavesTheSessionToTheReset()
    {
        await using var host = await HostAsync();
        var session = await host.StartRunningAsync();
        engine.HoldApplies();
        var reset = host.Sessions.ResetAsync(session.Id, "client", clearProgress: false, cancellationToken: Ct);
        await WaitAsync(() => Task.FromResult(!engine.Objects.Any(o => o.Name == $"{session.Id}-client")));

        var report = await host.Reconciler.ReconcileAsync(cancellationToken: Ct);
        engine.ReleaseApplies();
        var after = await reset;

        Assert.DoesNotContain(report.Actions, a => a.Kind == ReconcileActionKind.FailedVanished);
        Assert.Equal(SessionState.Running, after.State);
        Assert.Equal((null, null), await host.OperationAsync(session.Id));
    }

    [Fact]
    public async Task Reset_WhileAnotherLiveOperationHoldsTheSession_IsRefusedAsBusy()
    {
        await using var host = await HostAsync();
        var session = await host.StartRunningAsync();
        await host.LeaveAsKilledAsync(session.Id, SessionState.Running, TimeSpan.FromSeconds(1), owner: "other-host/1/0123456789ab");

        var busy = await Assert.ThrowsAsync<SessionLifecycleException>(() => host.Sessions.ResetAsync(session.Id, null, clearProgress: false, cancellationToken: Ct));

        Assert.Equal("busy", busy.Code);
        Assert.Empty(engine.Resets);
    }

    [Fact]
    public async Task Reset_OfASessionWhoseLastOwnerDied_GoesAhead()
    {
        await using var host = await HostAsync();
        var session = await host.StartRunningAsync();
        await host.LeaveAsKilledAsync(session.Id, SessionState.Running, host.Options.HeartbeatTimeout + TimeSpan.FromSeconds(1));

        var reset = await host.Sessions.ResetAsync(session.Id, null, clearProgress: false, cancellationToken: Ct);

        Assert.Equal(SessionState.Running, reset.State);
        Assert.Equal(2, engine.Resets.Count);
        Assert.Equal((null, null), await host.OperationAsync(session.Id));
    }

    [Fact]
    public async Task Reconcile_PauseInterruptedAfterTheEngineFroze_ResumesTheRunningSession()
    {
        await using var host = await HostAsync();
        var session = await host.StartRunningAsync();
        // Killed between the engine's pause and the database write: nodes frozen, the row Running under a dead lease.
        await engine.PauseAsync(session.Id, Ct);
        await host.LeaveAsKilledAsync(session.Id, SessionState.Running, host.Options.HeartbeatTimeout + TimeSpan.FromSeconds(1));

        var report = await host.Reconciler.ReconcileAsync(cancellationToken: Ct);

        Assert.Equal(ReconcileActionKind.RestoredInterrupted, Assert.Single(report.Actions).Kind);
        Assert.False(engine.IsPaused(session.Id));
        Assert.Equal(SessionState.Running, (await host.GetAsync(session.Id)).State);
        Assert.Equal((null, null), await host.OperationAsync(session.Id));
    }

    [Fact]
    public async Task Reconcile_ResumeInterruptedAfterTheEngineThawed_PausesThePausedSessionAgain()
    {
        await using var host = await HostAsync();
        var session = await host.StartRunningAsync();
        await host.Sessions.PauseAsync(session.Id, Ct);
        await engine.ResumeAsync(session.Id, Ct);
        await host.LeaveAsKilledAsync(session.Id, SessionState.Paused, host.Options.HeartbeatTimeout + TimeSpan.FromSeconds(1));

        var report = await host.Reconciler.ReconcileAsync(cancellationToken: Ct);

        Assert.Equal(ReconcileActionKind.RestoredInterrupted, Assert.Single(report.Actions).Kind);
        Assert.True(engine.IsPaused(session.Id));
        Assert.Equal(SessionState.Paused, (await host.GetAsync(session.Id)).State);
        Assert.Equal((null, null), await host.OperationAsync(session.Id));
    }

    [Fact]
    public async Task Reconcile_PauseInProgressWithAFreshHeartbeat_IsLeftAlone()
    {
        await using var host = await HostAsync();
        var session = await host.StartRunningAsync();
        await engine.PauseAsync(session.Id, Ct);
        await host.LeaveAsKilledAsync(session.Id, SessionState.Running, TimeSpan.FromSeconds(1), owner: "other-host/1/0123456789ab");

        var report = await host.Reconciler.ReconcileAsync(cancellationToken: Ct);

        Assert.Equal(ReconcileActionKind.LeftLiveOperation, Assert.Single(report.Actions).Kind);
        Assert.True(engine.IsPaused(session.Id));
    }

    [Fact]
    public async Task PauseAndResume_EachGiveTheLeaseBack_AndAreRefusedAsBusyWhileAnotherLiveOperationHoldsIt()
    {
        await using var host = await HostAsync();
        var session = await host.StartRunningAsync();

        await host.Sessions.PauseAsync(session.Id, Ct);
        Assert.Equal((null, null), await host.OperationAsync(session.Id));
        await host.Sessions.ResumeAsync(session.Id, Ct);
        Assert.Equal((null, null), await host.OperationAsync(session.Id));
        await host.LeaveAsKilledAsync(session.Id, SessionState.Running, TimeSpan.FromSeconds(1), owner: "other-host/1/0123456789ab");
        var busy = await Assert.ThrowsAsync<SessionLifecycleException>(() => host.Sessions.PauseAsync(session.Id, Ct));

        Assert.Equal("busy", busy.Code);
        Assert.False(engine.IsPaused(session.Id));
    }

    private static EngineResource Volume(string name, string session, string? instance, bool persistent = false, string kind = "volume")
    {
        var labels = new Dictionary<string, string>
        {
            [LabLabels.ManagedBy] = LabLabels.ManagedByValue,
            [LabLabels.Session] = session,
        };
        if (instance is not null)
        {
            labels[LabLabels.Instance] = instance;
        }

        if (persistent)
        {
            labels[LabLabels.Persistent] = "true";
        }

        return new EngineResource(kind, name, labels);
    }

    /// <summary>Waits for something another task does (a database write); the fake clock does not move meanwhile.</summary>
    private static async Task WaitAsync(Func<Task<bool>> condition)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        deadline.CancelAfter(TimeSpan.FromSeconds(20));
        while (!await condition())
        {
            await Task.Delay(10, deadline.Token);
        }
    }

    private sealed class RecordingObserver : IReconcileObserver
    {
        public ConcurrentQueue<ReconcileAction> Actions { get; } = new();

        public void Observe(ReconcileAction action) => Actions.Enqueue(action);
    }
}
