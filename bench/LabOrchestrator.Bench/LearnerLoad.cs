using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.ServerSentEvents;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace LabOrchestrator.Bench;

/// <summary>
/// One simulated learner: start hello-linux, wait for Running over the event stream, make the folder the guide asks
/// for by typing in the terminal over the gateway WebSocket, pass the step's check, stop; again and again until the
/// deadline. In its first round it also asks for a second session, which the per-user quota must refuse (429).
/// </summary>
internal sealed class LearnerLoad(Uri server, string token, LoadFigures figures)
{
    private const string Lab = "hello-linux";

    public async Task RunAsync(DateTimeOffset deadline, CancellationToken cancellationToken)
    {
        using var api = new HttpClient { BaseAddress = server, Timeout = TimeSpan.FromMinutes(5) };
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var first = true;
        do
        {
            try
            {
                await CycleAsync(api, first, cancellationToken);
                figures.Cycles.Increment();
            }
            catch (Exception) when (cancellationToken.IsCancellationRequested)
            {
                figures.Error("cut off by the hard stop (deadline + 10 minutes) in the middle of a round");
                return;
            }
            catch (Exception e)
            {
                figures.Error(e.Message);
            }

            first = false;
        }
        while (DateTimeOffset.UtcNow < deadline && !cancellationToken.IsCancellationRequested);
    }

    private async Task CycleAsync(HttpClient api, bool tryQuota, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        using var start = await api.PostAsJsonAsync("/api/sessions", new { lab = Lab }, cancellationToken);
        Expect(start, HttpStatusCode.Accepted, "start");
        var id = (await start.Content.ReadFromJsonAsync<JsonElement>(cancellationToken)).GetProperty("id").GetString()!;
        figures.Sessions.Add(id);
        try
        {
            var state = await FollowAsync(api, id, cancellationToken);
            if (state != "Running")
            {
                throw new InvalidOperationException($"session {id} ended {state}");
            }

            figures.Start.Add(clock.Elapsed);
            if (tryQuota)
            {
                using var second = await api.PostAsJsonAsync("/api/sessions", new { lab = Lab }, cancellationToken);
                figures.QuotaAnswers.Add((int)second.StatusCode);
                if (second.StatusCode == HttpStatusCode.Accepted)
                {
                    var extra = (await second.Content.ReadFromJsonAsync<JsonElement>(cancellationToken)).GetProperty("id").GetString()!;
                    figures.Sessions.Add(extra);
                    (await api.DeleteAsync($"/api/sessions/{extra}", cancellationToken)).Dispose();
                }
            }

            clock.Restart();
            await TypeAsync(id, cancellationToken);
            figures.Terminal.Add(clock.Elapsed);

            clock.Restart();
            using var check = await api.PostAsync($"/api/sessions/{id}/guide/steps/make-folder/check", null, cancellationToken);
            Expect(check, HttpStatusCode.OK, "check");
            var passed = (await check.Content.ReadFromJsonAsync<JsonElement>(cancellationToken)).GetProperty("passed").GetBoolean();
            if (!passed)
            {
                throw new InvalidOperationException($"the check of session {id} did not pass");
            }

            figures.Check.Add(clock.Elapsed);
        }
        finally
        {
            clock.Restart();
            using var stop = await api.DeleteAsync($"/api/sessions/{id}", CancellationToken.None);
            Expect(stop, HttpStatusCode.OK, "stop");
            figures.Stop.Add(clock.Elapsed);
        }
    }

    /// <summary>The session's state once its start settled (Running, Failed or Stopped), from its event stream.</summary>
    private static async Task<string> FollowAsync(HttpClient api, string id, CancellationToken cancellationToken)
    {
        using var response = await api.GetAsync($"/api/sessions/{id}/events", HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        Expect(response, HttpStatusCode.OK, "events");
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        var state = "";
        await foreach (var item in SseParser.Create(stream).EnumerateAsync(cancellationToken))
        {
            if (item.EventType != "session")
            {
                // Warnings (time running out, idle) carry no state.
                continue;
            }

            state = JsonSerializer.Deserialize<JsonElement>(item.Data).GetProperty("state").GetString()!;
            if (state is "Running" or "Failed" or "Stopped")
            {
                // The stream stays open while the session lives; the start has settled.
                break;
            }
        }

        return state;
    }

    /// <summary>Types the guide's command and waits for the shell's answer (computed, so the echoed command does not count).</summary>
    private async Task TypeAsync(string id, CancellationToken cancellationToken)
    {
        using var socket = new ClientWebSocket();
        socket.Options.SetRequestHeader("Authorization", $"Bearer {token}");
        var ws = new UriBuilder(server) { Scheme = "ws", Path = $"/gateway/sessions/{id}/nodes/linux/terminal" }.Uri;
        await socket.ConnectAsync(ws, cancellationToken);
        await socket.SendAsync(Encoding.ASCII.GetBytes("mkdir -p ~/projects && echo made-$((6*7))-ok\r"), WebSocketMessageType.Binary, true, cancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        var output = new StringBuilder();
        var buffer = new byte[8192];
        while (!output.ToString().Contains("made-42-ok", StringComparison.Ordinal))
        {
            var received = await socket.ReceiveAsync(buffer, timeout.Token);
            if (received.MessageType == WebSocketMessageType.Close)
            {
                throw new InvalidOperationException($"the terminal of session {id} closed: {received.CloseStatusDescription}");
            }

            if (received.MessageType == WebSocketMessageType.Binary)
            {
                output.Append(Encoding.UTF8.GetString(buffer, 0, received.Count));
            }
        }

        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", cancellationToken);
    }

    private static void Expect(HttpResponseMessage response, HttpStatusCode status, string what)
    {
        if (response.StatusCode != status)
        {
            throw new InvalidOperationException($"{what}: {(int)response.StatusCode} {response.Content.ReadAsStringAsync().GetAwaiter().GetResult()}");
        }
    }
}
