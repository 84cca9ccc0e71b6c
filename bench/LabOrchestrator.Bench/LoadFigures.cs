using System.Collections.Concurrent;

namespace LabOrchestrator.Bench;

/// <summary>What the learners of a load run saw, shared by all of them.</summary>
internal sealed class LoadFigures
{
    public ConcurrentBag<string> Sessions { get; } = [];
    public ConcurrentQueue<string> Errors { get; } = new();
    public ConcurrentBag<int> QuotaAnswers { get; } = [];
    public Counter Cycles { get; } = new();
    public SyncSamples Start { get; } = new("start → Running");
    public SyncSamples Terminal { get; } = new("terminal open → command answered");
    public SyncSamples Check { get; } = new("check");
    public SyncSamples Stop { get; } = new("stop");

    public void Error(string message) => Errors.Enqueue(message);

    internal sealed class Counter
    {
        private int value;

        public int Value => Volatile.Read(ref value);

        public void Increment() => Interlocked.Increment(ref value);
    }

    /// <summary><see cref="Samples"/> for many writers.</summary>
    internal sealed class SyncSamples(string name)
    {
        private readonly Lock gate = new();

        public Samples Samples { get; } = new(name);

        public void Add(TimeSpan elapsed)
        {
            lock (gate)
            {
                Samples.Add(elapsed);
            }
        }
    }
}
