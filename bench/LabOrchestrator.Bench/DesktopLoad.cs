using System.Diagnostics;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text.Json;

namespace LabOrchestrator.Bench;

/// <summary>
/// The client side of the desktop benchmark (run in a child process): one RFB connection, over a WebSocket
/// (<c>ws://</c>, with the <c>binary</c> subprotocol noVNC asks for) or plain TCP (<c>tcp://host:port</c>).
/// Throughput: non-incremental full-screen updates one after the other for a fixed time. Latency: 64x64
/// non-incremental updates, from sending the request to the first byte and to the last byte of the answer.
/// </summary>
internal static class DesktopLoad
{
    private const int LatencyWarmUp = 20;
    private const int LatencyRequests = 300;

    /// <summary>The child process: connects to <paramref name="url"/>, measures, prints the result as JSON.</summary>
    public static async Task<int> RunAsync(Uri url, TimeSpan duration, string encoding)
    {
        await using var stream = await ConnectAsync(url, CancellationToken.None);
        Console.WriteLine(JsonSerializer.Serialize(await MeasureAsync(stream, duration, encoding, CancellationToken.None)));
        return 0;
    }

    /// <summary>Measures an RFB server at the other end of <paramref name="stream"/> (right after it opened).</summary>
    public static async Task<DesktopResult> MeasureAsync(Stream stream, TimeSpan duration, string encoding, CancellationToken cancellationToken)
    {
        var rfb = new RfbClient(stream, encoding);
        await rfb.HandshakeAsync(cancellationToken);

        // Warm-up: connection, JIT, and the server's first full update.
        for (var i = 0; i < 3; i++)
        {
            await rfb.RequestUpdateAsync(0, 0, rfb.Width, rfb.Height, cancellationToken);
        }

        var firstByte = new Samples("first byte");
        var lastByte = new Samples("last byte");
        for (var i = 0; i < LatencyWarmUp + LatencyRequests; i++)
        {
            var started = Stopwatch.GetTimestamp();
            var (_, first) = await rfb.RequestUpdateAsync(0, 0, 64, 64, cancellationToken);
            var finished = Stopwatch.GetTimestamp();
            if (i >= LatencyWarmUp)
            {
                firstByte.Add(Stopwatch.GetElapsedTime(started, first));
                lastByte.Add(Stopwatch.GetElapsedTime(started, finished));
            }
        }

        long updates = 0, bytes = 0;
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < duration)
        {
            var (size, _) = await rfb.RequestUpdateAsync(0, 0, rfb.Width, rfb.Height, cancellationToken);
            updates++;
            bytes += size;
        }

        var seconds = watch.Elapsed.TotalSeconds;
        return new DesktopResult(rfb.Width, rfb.Height, updates / seconds, bytes / seconds / 1e6,
            firstByte.Percentile(0.5), firstByte.Percentile(0.99), lastByte.Percentile(0.5), lastByte.Percentile(0.99));
    }

    private static async Task<Stream> ConnectAsync(Uri url, CancellationToken cancellationToken)
    {
        if (url.Scheme == "tcp")
        {
            var client = new TcpClient { NoDelay = true };
            await client.ConnectAsync(url.Host, url.Port, cancellationToken);
            return client.GetStream();
        }

        var socket = new ClientWebSocket();
        socket.Options.AddSubProtocol("binary");
        if (Environment.GetEnvironmentVariable(HttpLoad.HeaderVariable) is { Length: > 0 } header)
        {
            var colon = header.IndexOf(':', StringComparison.Ordinal);
            socket.Options.SetRequestHeader(header[..colon], header[(colon + 1)..].Trim());
        }

        await socket.ConnectAsync(url, cancellationToken);
        return WebSocketStream.Create(socket, WebSocketMessageType.Binary, ownsWebSocket: true);
    }
}
