using System.Collections.Concurrent;
using System.Diagnostics;
using System.Reflection;
using System.Runtime.ExceptionServices;
using LabOrchestrator.Engines;

namespace LabOrchestrator.Bench;

/// <summary>
/// Where the time of one start goes inside the server, which runs in the benchmark's process: the engine calls a start
/// makes (the claim's password exec, the terminal's exec), the moment the shell's first byte leaves the engine, and
/// every libpod REST call (HttpClient's own activities; the exec start is a hijacked socket, so it is the remainder).
/// Timestamps are <see cref="Stopwatch"/> ticks, shared with the client side of the benchmark.
/// </summary>
internal sealed class ClaimTimeline : IDisposable
{
    private readonly ConcurrentQueue<Span> spans = new();
    private readonly ActivityListener listener;

    public ClaimTimeline()
    {
        listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "System.Net.Http",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllData,
            ActivityStopped = activity =>
            {
                if (activity.GetTagItem("server.address") as string == "podman")
                {
                    var end = Stopwatch.GetTimestamp();
                    spans.Enqueue(new Span("libpod", end - (long)(activity.Duration.TotalSeconds * Stopwatch.Frequency), end));
                    if (Environment.GetEnvironmentVariable("BENCH_TRACE") == "1")
                    {
                        Console.WriteLine($"  libpod {activity.GetTagItem("http.request.method")} {activity.GetTagItem("url.full")} {activity.Duration.TotalMilliseconds:0.0} ms");
                    }
                }
            },
        };
        ActivitySource.AddActivityListener(listener);
    }

    /// <summary>One thing that happened: an engine call (exec, open_terminal), a libpod call, or the shell's first byte (start = end).</summary>
    public sealed record Span(string Kind, long Start, long End, string? SessionId = null)
    {
        public double Ms => (End - Start) * 1000.0 / Stopwatch.Frequency;
    }

    /// <summary>The engine as the server sees it, timed; registered over the real one.</summary>
    public ILabEngine Wrap(ILabEngine inner) => TimedEngine.Create(inner, this);

    public IReadOnlyList<Span> Of(string sessionId) => spans.Where(s => s.SessionId == sessionId).ToList();

    /// <summary>libpod calls that ran entirely within <paramref name="window"/>.</summary>
    public IReadOnlyList<Span> LibpodWithin(Span window) =>
        spans.Where(s => s.Kind == "libpod" && s.Start >= window.Start && s.End <= window.End).ToList();

    public void Clear() => spans.Clear();

    public void Dispose() => listener.Dispose();

    private void Add(Span span) => spans.Enqueue(span);

    /// <summary>Times <see cref="ILabEngine.ExecAsync"/> and <see cref="ILabEngine.OpenTerminalAsync"/>; every other call passes through.</summary>
    public class TimedEngine : DispatchProxy
    {
        private ILabEngine inner = null!;
        private ClaimTimeline timeline = null!;

        internal static ILabEngine Create(ILabEngine inner, ClaimTimeline timeline)
        {
            var proxy = Create<ILabEngine, TimedEngine>();
            var timed = (TimedEngine)(object)proxy;
            timed.inner = inner;
            timed.timeline = timeline;
            return proxy;
        }

        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
        {
            ArgumentNullException.ThrowIfNull(targetMethod);
            var start = Stopwatch.GetTimestamp();
            object? result;
            try
            {
                result = targetMethod.Invoke(inner, args);
            }
            catch (TargetInvocationException e) when (e.InnerException is not null)
            {
                ExceptionDispatchInfo.Throw(e.InnerException);
                throw;
            }

            var sessionId = args?.FirstOrDefault() as string;
            return targetMethod.Name switch
            {
                nameof(ILabEngine.ExecAsync) => TimeAsync((Task<ExecResult>)result!, "exec", start, sessionId),
                nameof(ILabEngine.OpenTerminalAsync) => OpenAsync((Task<ITerminalStream>)result!, start, sessionId!),
                _ => result,
            };
        }

        private async Task<T> TimeAsync<T>(Task<T> task, string kind, long start, string? sessionId)
        {
            var result = await task;
            timeline.Add(new Span(kind, start, Stopwatch.GetTimestamp(), sessionId));
            if (Environment.GetEnvironmentVariable("BENCH_TRACE") == "1")
            {
                Console.WriteLine($"  engine {kind} {Stopwatch.GetElapsedTime(start).TotalMilliseconds:0.0} ms");
            }

            return result;
        }

        private async Task<ITerminalStream> OpenAsync(Task<ITerminalStream> task, long start, string sessionId)
        {
            var terminal = await TimeAsync(task, "open_terminal", start, sessionId);
            return new FirstByteTerminal(terminal, () =>
            {
                var now = Stopwatch.GetTimestamp();
                timeline.Add(new Span("shell_first_byte", now, now, sessionId));
            });
        }
    }

    /// <summary>A terminal that notes when its output first gives bytes.</summary>
    private sealed class FirstByteTerminal(ITerminalStream inner, Action firstByte) : ITerminalStream
    {
        public Stream Input => inner.Input;
        public Stream Output { get; } = new FirstByteStream(inner.Output, firstByte);
        public Task ResizeAsync(ushort columns, ushort rows, CancellationToken cancellationToken) => inner.ResizeAsync(columns, rows, cancellationToken);
        public ValueTask DisposeAsync() => inner.DisposeAsync();
    }

    private sealed class FirstByteStream(Stream inner, Action firstByte) : Stream
    {
        private int seen;

        public override bool CanRead => true;
        public override bool CanWrite => false;
        public override bool CanSeek => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var read = await inner.ReadAsync(buffer, cancellationToken);
            if (read > 0 && Interlocked.Exchange(ref seen, 1) == 0)
            {
                firstByte();
            }

            return read;
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
