using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.ServerSentEvents;
using System.Net.WebSockets;
using System.Text.Json;

namespace LabOrchestrator.Bench;

/// <summary>
/// One learner of <see cref="ClassBenchmark"/> through the API, as the web app does it: start two-hosts, follow the
/// session's event stream (what the learner's page shows) until Running, open the client node's terminal and read the
/// first byte of its prompt, later stop and follow the same stream until Stopped. The states the stream shows must be a
/// true sequence: Pending → Starting → Running (every node Running with it), then Stopping → Stopped (every node
/// Stopped), never back; the terminal must open at once when the page says Running and close when the session stops.
/// </summary>
internal sealed class ClassLearner(Uri server, string token) : IAsyncDisposable
{
    private const string Lab = "two-hosts";
    private static readonly string[] Order = ["Pending", "Starting", "Running", "Stopping", "Stopped"];
    private readonly HttpClient api = new() { BaseAddress = server, Timeout = TimeSpan.FromMinutes(5) };
    private HttpResponseMessage? events;
    private IAsyncEnumerator<SseItem<string>>? stream;
    private ClientWebSocket? terminal;
    private Task? terminalClosed;
    private int rank = -1;

    public string? SessionId { get; private set; }
    public TimeSpan Running { get; private set; }
    public TimeSpan FirstByte { get; private set; }
    public TimeSpan Stopped { get; private set; }
    public List<string> Seen { get; } = [];

    /// <summary>Signs in (the token's first use) so that the class's moment times no connection set-up.</summary>
    public async Task PrepareAsync(CancellationToken cancellationToken)
    {
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var list = await api.GetAsync("/api/sessions", cancellationToken);
        list.EnsureSuccessStatusCode();
    }

    public async Task StartAsync(Stopwatch clock, CancellationToken cancellationToken)
    {
        using var start = await api.PostAsJsonAsync("/api/sessions", new { lab = Lab }, cancellationToken);
        Expect(start, HttpStatusCode.Accepted, "start");
        SessionId = (await start.Content.ReadFromJsonAsync<JsonElement>(cancellationToken)).GetProperty("id").GetString()!;
        events = await api.GetAsync($"/api/sessions/{SessionId}/events", HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        Expect(events, HttpStatusCode.OK, "events");
        stream = SseParser.Create(await events.Content.ReadAsStreamAsync(cancellationToken)).EnumerateAsync(cancellationToken).GetAsyncEnumerator(cancellationToken);
        while (await NextStateAsync() != "Running")
        {
        }

        Running = clock.Elapsed;

        // The page says Running: the terminal must open now, not after a retry.
        terminal = new ClientWebSocket();
        terminal.Options.SetRequestHeader("Authorization", $"Bearer {token}");
        await terminal.ConnectAsync(new UriBuilder(server) { Scheme = "ws", Path = $"/gateway/sessions/{SessionId}/nodes/client/terminal" }.Uri, cancellationToken);
        var buffer = new byte[4096];
        WebSocketReceiveResult received;
        do
        {
            received = await terminal.ReceiveAsync(buffer, cancellationToken);
            if (received.MessageType == WebSocketMessageType.Close)
            {
                throw new InvalidOperationException($"session {SessionId}: the terminal closed before its first byte: {received.CloseStatusDescription}");
            }
        }
        while (received.Count == 0 || received.MessageType != WebSocketMessageType.Binary);

        FirstByte = clock.Elapsed;
        terminalClosed = DrainAsync(terminal, buffer);
    }

    public async Task StopAsync(Stopwatch clock, CancellationToken cancellationToken)
    {
        var follow = FollowStopAsync(clock);
        using (var stop = await api.DeleteAsync($"/api/sessions/{SessionId}", cancellationToken))
        {
            Expect(stop, HttpStatusCode.OK, "stop");
        }

        await follow.WaitAsync(TimeSpan.FromMinutes(3), cancellationToken);
        // The gateway closes the learner's terminal when the session stops.
        await terminalClosed!.WaitAsync(TimeSpan.FromSeconds(30), cancellationToken);
    }

    private async Task FollowStopAsync(Stopwatch clock)
    {
        while (await NextStateAsync() != "Stopped")
        {
        }

        Stopped = clock.Elapsed;
        if (await stream!.MoveNextAsync())
        {
            throw new InvalidOperationException($"session {SessionId}: the event stream went on after Stopped");
        }
    }

    /// <summary>The next session state on the stream, checked against the ones before it.</summary>
    private async Task<string> NextStateAsync()
    {
        while (await stream!.MoveNextAsync())
        {
            if (stream.Current.EventType != "session")
            {
                continue;
            }

            var session = JsonSerializer.Deserialize<JsonElement>(stream.Current.Data);
            var state = session.GetProperty("state").GetString()!;
            var nodes = session.GetProperty("nodes").EnumerateArray().Select(n => n.GetProperty("state").GetString()!).ToList();
            Seen.Add($"{state}[{string.Join(',', nodes)}]");
            var next = Array.IndexOf(Order, state);
            if (next < 0 || next < rank)
            {
                throw new InvalidOperationException($"session {SessionId}: the page showed {state} after {Order[Math.Max(rank, 0)]} ({string.Join(" → ", Seen)})");
            }

            if ((state == "Running" && nodes.Any(n => n != "Running")) || (state == "Stopped" && nodes.Any(n => n != "Stopped")) || nodes.Contains("Failed"))
            {
                throw new InvalidOperationException($"session {SessionId}: the page showed the session {state} with nodes {string.Join(',', nodes)}");
            }

            rank = next;
            return state;
        }

        throw new InvalidOperationException($"session {SessionId}: the event stream ended at {string.Join(" → ", Seen)}");
    }

    private static async Task DrainAsync(ClientWebSocket socket, byte[] buffer)
    {
        try
        {
            while (socket.State == WebSocketState.Open)
            {
                var received = await socket.ReceiveAsync(buffer, CancellationToken.None);
                if (received.MessageType == WebSocketMessageType.Close)
                {
                    return;
                }
            }
        }
        catch (WebSocketException)
        {
            // Closed without a handshake: closed all the same.
        }
    }

    private static void Expect(HttpResponseMessage response, HttpStatusCode status, string what)
    {
        if (response.StatusCode != status)
        {
            throw new InvalidOperationException($"{what}: {(int)response.StatusCode} {response.Content.ReadAsStringAsync().GetAwaiter().GetResult()}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (stream is not null)
        {
            await stream.DisposeAsync();
        }

        events?.Dispose();
        terminal?.Abort();
        terminal?.Dispose();
        api.Dispose();
    }
}
