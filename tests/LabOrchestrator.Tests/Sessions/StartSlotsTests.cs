using LabOrchestrator.Engines;
using LabOrchestrator.Sessions;
using LabOrchestrator.Tests.Recovery;
using LabOrchestrator.Tests.Support;
using LabOrchestrator.Users;
using Microsoft.Extensions.Time.Testing;

namespace LabOrchestrator.Tests.Sessions;

/// <summary>Starts beyond LabOrchestrator:MaxConcurrentStarts wait their turn, say so on their nodes, and then run.</summary>
public sealed class StartSlotsTests : IDisposable
{
    private readonly TempDirectory temp = new();
    private readonly FakeLabEngine engine = new();
    private readonly FakeTimeProvider clock = new(new DateTimeOffset(2026, 11, 1, 9, 0, 0, TimeSpan.Zero));

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => temp.Dispose();

    private Task<RecoveryHost> HostAsync(int slots) =>
        RecoveryHost.StartAsync(temp.File("store.db"), engine, clock, configure: o => o.MaxConcurrentStarts = slots);

    [Fact]
    public async Task StartBeyondTheLimit_WaitsWithAMessageOnItsNodes_ThenRuns()
    {
        await using var host = await HostAsync(slots: 1);
        engine.HoldApplies();
        var first = await host.Sessions.CreateAsync("pair", new UserRef("ann"), Ct);
        var firstRun = host.Sessions.RunAsync(first.Id, cancellationToken: Ct);
        await WaitAsync(() => engine.Holds(first.Id));

        var second = await host.Sessions.CreateAsync("pair", new UserRef("bob"), Ct);
        var secondRun = host.Sessions.RunAsync(second.Id, cancellationToken: Ct);
        await WaitAsync(() => host.GetAsync(second.Id).Result.Nodes.All(n => n.Message?.Contains("Waiting for a free start slot", StringComparison.Ordinal) == true));

        var waiting = await host.GetAsync(second.Id);
        Assert.Equal(SessionState.Starting, waiting.State);
        Assert.All(waiting.Nodes, n => Assert.Equal(NodeState.Pending, n.State));
        Assert.False(engine.Holds(second.Id));

        engine.ReleaseApplies();
        Assert.Equal(SessionState.Running, (await firstRun).State);
        var ran = await secondRun;
        Assert.Equal(SessionState.Running, ran.State);
        Assert.All(ran.Nodes, n => Assert.Null(n.Message));
    }

    [Fact]
    public async Task WaitingStartCancelled_FailsAsInterrupted_AndTheSlotStillServesTheNext()
    {
        await using var host = await HostAsync(slots: 1);
        engine.HoldApplies();
        var first = await host.Sessions.CreateAsync("pair", new UserRef("ann"), Ct);
        var firstRun = host.Sessions.RunAsync(first.Id, cancellationToken: Ct);
        await WaitAsync(() => engine.Holds(first.Id));
        var second = await host.Sessions.CreateAsync("pair", new UserRef("bob"), Ct);
        using var cancel = new CancellationTokenSource();
        var secondRun = host.Sessions.RunAsync(second.Id, cancellationToken: cancel.Token);
        await WaitAsync(() => host.GetAsync(second.Id).Result.Nodes.Any(n => n.Message is not null));

        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => secondRun);
        var cancelled = await host.GetAsync(second.Id);
        Assert.Equal(SessionState.Failed, cancelled.State);
        Assert.Equal(RecoveryFailures.InterruptedReason, cancelled.FailureReason);
        Assert.False(engine.Holds(second.Id));
        engine.ReleaseApplies();
        Assert.Equal(SessionState.Running, (await firstRun).State);
        var third = await host.Sessions.StartAsync("pair", new UserRef("cid"), cancellationToken: Ct);
        Assert.Equal(SessionState.Running, third.State);
    }

    /// <summary>Waits for what another task does (a database write); the fake clock does not move meanwhile.</summary>
    private static async Task WaitAsync(Func<bool> condition)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        deadline.CancelAfter(TimeSpan.FromSeconds(20));
        while (!condition())
        {
            await Task.Delay(10, deadline.Token);
        }
    }
}
