using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using LabOrchestrator.Sessions;

namespace LabOrchestrator.Bench;

/// <summary>
/// In the server's process: collects the durations of the product's session spans (<see cref="SessionTracing"/>) and of
/// the start and stop requests (ASP.NET Core's own activities), and samples the thread pool (queued work items, threads)
/// on a thread of its own, so that a starved pool cannot hide its own starvation. <see cref="TakeJson"/> hands over what
/// was collected since the last call and starts afresh.
/// </summary>
internal sealed class PhaseRecorder : IDisposable
{
    private readonly ActivityListener listener;
    private readonly Thread sampler;
    private readonly CancellationTokenSource stop = new();
    private ConcurrentQueue<(string Phase, double Ms)> spans = new();
    private long maxQueued;
    private int maxThreads;

    public PhaseRecorder()
    {
        listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name is SessionTracing.SourceName or "Microsoft.AspNetCore",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllData,
            ActivityStopped = Record,
        };
        ActivitySource.AddActivityListener(listener);
        sampler = new Thread(Sample) { IsBackground = true, Name = "thread pool sampler" };
        sampler.Start();
    }

    private void Record(Activity activity)
    {
        var name = activity.Source.Name == SessionTracing.SourceName ? activity.OperationName : RequestName(activity);
        if (name is not null)
        {
            spans.Enqueue((name, activity.Duration.TotalMilliseconds));
        }
    }

    /// <summary>"http POST /api/sessions" and "http DELETE /api/sessions/{id}" (the request's name once routed); other requests (event streams, terminals) are not phases.</summary>
    private static string? RequestName(Activity activity) =>
        activity.DisplayName is "POST /api/sessions" or "DELETE /api/sessions/{id}" ? "http " + activity.DisplayName : null;

    private void Sample()
    {
        while (!stop.IsCancellationRequested)
        {
            InterlockedMax(ref maxQueued, ThreadPool.PendingWorkItemCount);
            var threads = ThreadPool.ThreadCount;
            if (threads > Volatile.Read(ref maxThreads))
            {
                Volatile.Write(ref maxThreads, threads);
            }

            stop.Token.WaitHandle.WaitOne(50);
        }
    }

    private static void InterlockedMax(ref long target, long value)
    {
        var current = Interlocked.Read(ref target);
        while (value > current && Interlocked.CompareExchange(ref target, value, current) != current)
        {
            current = Interlocked.Read(ref target);
        }
    }

    /// <summary>One JSON line: phase → durations in ms, and the thread pool's worst moments, since the last call.</summary>
    public string TakeJson()
    {
        var taken = Interlocked.Exchange(ref spans, new ConcurrentQueue<(string Phase, double Ms)>());
        var phases = taken.GroupBy(s => s.Phase, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Select(s => s.Ms).ToList(), StringComparer.Ordinal);
        var report = new Report(phases, Interlocked.Exchange(ref maxQueued, 0), Interlocked.Exchange(ref maxThreads, 0));
        return "phases " + JsonSerializer.Serialize(report);
    }

    public void Dispose()
    {
        stop.Cancel();
        sampler.Join();
        listener.Dispose();
        stop.Dispose();
    }

    internal sealed record Report(Dictionary<string, List<double>> Phases, long MaxQueuedWorkItems, int MaxThreads)
    {
        public static Report Parse(string line) =>
            JsonSerializer.Deserialize<Report>(line["phases ".Length..]) ?? throw new InvalidOperationException("No phases.");
    }
}
