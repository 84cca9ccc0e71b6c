using LabOrchestrator.Hosting;
using Microsoft.Extensions.Options;

namespace LabOrchestrator.Sessions;

/// <summary>
/// How many session starts this process runs at once (<see cref="LabOrchestratorOptions.MaxConcurrentStarts"/>). A start
/// beyond that waits, Starting, its nodes Pending with a "waiting" message, until one finishes: fifty learners clicking
/// Start at once then get their labs one batch after another instead of fifty engine calls sharing the CPU until every
/// one of them times out. The start timeout counts from when a start gets its slot.
/// </summary>
internal sealed class StartSlots(IOptions<LabOrchestratorOptions> options)
{
    private readonly SemaphoreSlim slots = new(options.Value.MaxConcurrentStarts, options.Value.MaxConcurrentStarts);
    private int waiting;

    /// <summary>Starts that wait for a slot now.</summary>
    public int Waiting => Volatile.Read(ref waiting);

    /// <summary>
    /// Waits for a slot; <paramref name="onWait"/> is told how many starts are waiting (this one included) when it has to
    /// wait. Dispose the result to give the slot back.
    /// </summary>
    public async Task<IDisposable> EnterAsync(Action<int> onWait, CancellationToken cancellationToken)
    {
        if (!slots.Wait(0, CancellationToken.None))
        {
            onWait(Interlocked.Increment(ref waiting));
            try
            {
                await slots.WaitAsync(cancellationToken);
            }
            finally
            {
                Interlocked.Decrement(ref waiting);
            }
        }

        return new Slot(slots);
    }

    private sealed class Slot(SemaphoreSlim slots) : IDisposable
    {
        private int released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref released, 1) == 0)
            {
                slots.Release();
            }
        }
    }
}
