namespace LabOrchestrator.Podman.Tests;

public sealed class SharedRunTests
{
    [Fact]
    public async Task RunAsync_CallersWhileOneRuns_ShareOneNextRunThatBeginsAfterThemAsync()
    {
        var run = new SharedRun();
        var runs = 0;
        var release = new[] { new TaskCompletionSource(), new TaskCompletionSource() };
        var started = new[] { new TaskCompletionSource(), new TaskCompletionSource() };
        Task Action()
        {
            var index = Interlocked.Increment(ref runs) - 1;
            started[index].SetResult();
            return release[index].Task;
        }

        var first = run.RunAsync(Action);
        await started[0].Task.WaitAsync(TestContext.Current.CancellationToken);
        var waiting = Enumerable.Range(0, 10).Select(_ => run.RunAsync(Action)).ToList();

        // The ten asked while the first run was under way: none of them may count on it.
        Assert.False(started[1].Task.IsCompleted);
        Assert.All(waiting, w => Assert.False(w.IsCompleted));
        release[0].SetResult();
        await first.WaitAsync(TestContext.Current.CancellationToken);
        await started[1].Task.WaitAsync(TestContext.Current.CancellationToken);
        release[1].SetResult();
        await Task.WhenAll(waiting).WaitAsync(TestContext.Current.CancellationToken);

        Assert.Equal(2, runs);
    }

    [Fact]
    public async Task RunAsync_AfterTheLastRunEnded_RunsAgainAsync()
    {
        var run = new SharedRun();
        var runs = 0;

        await run.RunAsync(() => Task.FromResult(Interlocked.Increment(ref runs))).WaitAsync(TestContext.Current.CancellationToken);
        await run.RunAsync(() => Task.FromResult(Interlocked.Increment(ref runs))).WaitAsync(TestContext.Current.CancellationToken);

        Assert.Equal(2, runs);
    }

    [Fact]
    public async Task RunAsync_RunFails_EveryCallerSharingItFailsAndTheNextRunStillHappensAsync()
    {
        var run = new SharedRun();
        var release = new TaskCompletionSource();
        var first = run.RunAsync(() => release.Task);
        var shared = Enumerable.Range(0, 3).Select(_ => run.RunAsync(() => throw new InvalidOperationException("rules not installed"))).ToList();

        release.SetException(new InvalidOperationException("first failed"));

        await Assert.ThrowsAsync<InvalidOperationException>(() => first);
        foreach (var task in shared)
        {
            var error = await Assert.ThrowsAsync<InvalidOperationException>(() => task);
            Assert.Equal("rules not installed", error.Message);
        }

        var ran = false;
        await run.RunAsync(() =>
        {
            ran = true;
            return Task.CompletedTask;
        }).WaitAsync(TestContext.Current.CancellationToken);
        Assert.True(ran);
    }
}
