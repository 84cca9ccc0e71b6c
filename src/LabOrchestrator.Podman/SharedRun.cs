namespace LabOrchestrator.Podman;

/// <summary>
/// Runs an idempotent action one at a time, and lets callers that arrive while it runs share the next run instead of
/// queueing one run each. Every caller gets a run that began after it asked (so it sees the state of the world as it
/// was when it asked, or later), and at most two runs exist at once: the one under way and the one waiting for it.
/// The action runs without the callers' cancellation (others share it); a caller stops waiting with
/// <see cref="Task.WaitAsync(CancellationToken)"/>. A failed run fails every caller that shared it.
/// </summary>
internal sealed class SharedRun
{
    private readonly Lock gate = new();
    private TaskCompletionSource? current;
    private TaskCompletionSource? next;

    public Task RunAsync(Func<Task> action)
    {
        TaskCompletionSource mine;
        Task? after;
        lock (gate)
        {
            if (next is not null)
            {
                return next.Task;
            }

            mine = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            after = current?.Task;
            if (after is null)
            {
                current = mine;
            }
            else
            {
                next = mine;
            }
        }

        _ = RunAfterAsync(mine, after, action);
        return mine.Task;
    }

    private async Task RunAfterAsync(TaskCompletionSource mine, Task? after, Func<Task> action)
    {
        if (after is not null)
        {
            // Whatever the previous run's outcome: its callers have it; this run is for the ones who came later.
            await after.ContinueWith(static _ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default).ConfigureAwait(false);
            lock (gate)
            {
                current = mine;
                next = null;
            }
        }

        try
        {
            await action().ConfigureAwait(false);
            mine.SetResult();
        }
#pragma warning disable CA1031 // Every caller sharing the run gets its failure.
        catch (Exception e)
#pragma warning restore CA1031
        {
            mine.SetException(e);
        }
        finally
        {
            lock (gate)
            {
                if (current == mine)
                {
                    current = null;
                }
            }
        }
    }
}
