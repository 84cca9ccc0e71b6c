using System.Net;
using System.Net.Http.Json;
using System.Net.ServerSentEvents;
using System.Text.Json;
using System.Threading.Channels;
using LabOrchestrator.Server.Accounts;
using LabOrchestrator.Server.Tests.Labs;
using LabOrchestrator.Server.Tests.Sessions;
using LabOrchestrator.Server.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace LabOrchestrator.Server.Tests.Lifecycle;

/// <summary>The server on the fake engine and a fake clock, a published lab with the limits a test asks for, and a learner.</summary>
internal sealed class LifecycleServer : IAsyncDisposable
{
    public static readonly TimeSpan ReaperPeriod = TimeSpan.FromSeconds(10);

    private LifecycleServer(ServerHost server, FakeTimeProvider clock, FakeLabEngine engine, HttpClient learner, string learnerSecret, HttpClient instructor)
    {
        Server = server;
        Clock = clock;
        Engine = engine;
        Learner = learner;
        LearnerSecret = learnerSecret;
        Instructor = instructor;
    }

    public ServerHost Server { get; }
    public FakeTimeProvider Clock { get; }
    public FakeLabEngine Engine { get; }
    public HttpClient Learner { get; }
    public string LearnerSecret { get; }
    public HttpClient Instructor { get; }

    /// <summary>A server whose lab 'timed' has the given lines under <c>limits:</c>.</summary>
    public static async Task<LifecycleServer> StartAsync(string limits, CancellationToken cancellationToken)
    {
        var engine = new FakeLabEngine();
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 2, 9, 0, 0, TimeSpan.Zero));
        var server = await ServerHost.StartWithFakeEngineAsync(engine, clock, new Dictionary<string, string?>
        {
            ["Lifecycle:ReaperPeriod"] = ReaperPeriod.ToString(),
            ["Lifecycle:WarnBefore"] = "00:05:00",
            ["Lifecycle:IdleWarnBefore"] = "00:02:00",
            ["Lifecycle:ActivityFlushInterval"] = "00:00:30",
        }, cancellationToken);
        var (instructor, _) = await server.UserAsync("ines", Roles.Instructor, cancellationToken);
        var (learner, secret) = await server.UserAsync("lea", Roles.Learner, cancellationToken);
        var yaml = $"""
            name: timed
            nodes:
              - name: linux
                image: localhost/lab-base:latest
            limits:
            {string.Join("\n", limits.Split('\n').Select(l => "  " + l.Trim()))}
            """;
        var put = await LabsApi.PutAsync(instructor, "timed", yaml, cancellationToken);
        Assert.True(put.IsSuccessStatusCode, await put.Content.ReadAsStringAsync(cancellationToken));
        Assert.Equal(HttpStatusCode.OK, (await instructor.PostAsync("/api/labs/timed/publish", null, cancellationToken)).StatusCode);
        return new LifecycleServer(server, clock, engine, learner, secret, instructor);
    }

    /// <summary>Starts a session of 'timed' as the learner and waits until it runs.</summary>
    public async Task<string> StartRunningAsync(CancellationToken cancellationToken)
    {
        var start = await SessionsApi.StartAsync(Learner, "timed", cancellationToken);
        Assert.Equal(HttpStatusCode.Accepted, start.StatusCode);
        var id = (await start.Content.ReadFromJsonAsync<JsonElement>(cancellationToken)).GetProperty("id").GetString()!;
        var events = await SessionsApi.FollowAsync(Learner, id, cancellationToken);
        Assert.Equal("Running", events[^1].GetProperty("state").GetString());
        return id;
    }

    public async Task<JsonElement> GetAsync(string id, CancellationToken cancellationToken) =>
        await Learner.GetFromJsonAsync<JsonElement>($"/api/sessions/{id}", cancellationToken);

    /// <summary>Moves the clock by whole reaper periods, letting each pass of the reaper finish before the next.</summary>
    public async Task AdvanceAsync(TimeSpan by, CancellationToken cancellationToken)
    {
        var left = by;
        while (left > TimeSpan.Zero)
        {
            var step = left < ReaperPeriod ? left : ReaperPeriod;
            Clock.Advance(step);
            left -= step;
            // The reaper runs on the thread pool; give its pass (a few database calls) a moment.
            await Task.Delay(50, cancellationToken);
        }
    }

    /// <summary>Waits (in real time, bounded) until the session satisfies <paramref name="condition"/>; returns it.</summary>
    public async Task<JsonElement> WaitForAsync(string id, Func<JsonElement, bool> condition, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(15));
        while (true)
        {
            var session = await GetAsync(id, timeout.Token);
            if (condition(session))
            {
                return session;
            }

            await Task.Delay(50, timeout.Token);
        }
    }

    /// <summary>Waits (in real time, bounded) until <paramref name="condition"/> holds.</summary>
    public async Task WaitUntilAsync(Func<bool> condition, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(15));
        while (!condition())
        {
            await Task.Delay(50, timeout.Token);
        }
    }

    /// <summary>Follows the session's event stream in the background.</summary>
    public EventFollower Follow(string id, CancellationToken cancellationToken) => new(Learner, id, cancellationToken);

    public async ValueTask DisposeAsync() => await Server.DisposeAsync();

    /// <summary>Collects (type, data) of every event of a session's stream.</summary>
    internal sealed class EventFollower : IAsyncDisposable
    {
        private readonly Channel<(string Type, JsonElement Data)> events = Channel.CreateUnbounded<(string, JsonElement)>();
        private readonly CancellationTokenSource stop;
        private readonly Task reading;

        public EventFollower(HttpClient client, string id, CancellationToken cancellationToken)
        {
            stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            reading = Task.Run(async () =>
            {
                try
                {
                    using var response = await client.GetAsync($"/api/sessions/{id}/events", HttpCompletionOption.ResponseHeadersRead, stop.Token);
                    await using var stream = await response.Content.ReadAsStreamAsync(stop.Token);
                    await foreach (var item in SseParser.Create(stream).EnumerateAsync(stop.Token))
                    {
                        await events.Writer.WriteAsync((item.EventType, JsonSerializer.Deserialize<JsonElement>(item.Data)), stop.Token);
                    }
                }
                catch (OperationCanceledException)
                {
                    // Disposed.
                }
                finally
                {
                    events.Writer.TryComplete();
                }
            }, CancellationToken.None);
        }

        /// <summary>Whether the stream ended (the server closed it).</summary>
        public bool Ended => reading.IsCompleted;

        /// <summary>The next event matching, skipping others; fails after 15 s of real time or when the stream ends.</summary>
        public async Task<JsonElement> NextAsync(string type, Func<JsonElement, bool>? match = null)
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stop.Token);
            timeout.CancelAfter(TimeSpan.FromSeconds(15));
            await foreach (var (t, data) in events.Reader.ReadAllAsync(timeout.Token))
            {
                if (t == type && (match is null || match(data)))
                {
                    return data;
                }
            }

            throw new Xunit.Sdk.XunitException($"The event stream ended without a '{type}' event.");
        }

        public async ValueTask DisposeAsync()
        {
            await stop.CancelAsync();
            await reading;
            stop.Dispose();
        }
    }
}
