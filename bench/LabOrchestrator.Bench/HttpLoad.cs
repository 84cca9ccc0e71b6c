using System.Diagnostics;
using System.Net;
using System.Text.Json;

namespace LabOrchestrator.Bench;

/// <summary>
/// The client side of the web-port benchmark (run in a child process): N keep-alive connections, each one worker
/// sending GET after GET for a warm-up and then a measured period. Only requests that complete inside the measured
/// period count; latency is from sending a request to having read its whole body.
/// </summary>
internal static class HttpLoad
{
    /// <summary>Environment variable with one request header (<c>Name: value</c>) carrying a secret, kept off the command line.</summary>
    public const string HeaderVariable = "LABO_BENCH_HEADER";

    public static async Task<int> RunAsync(Uri url, int connections, TimeSpan warmUp, TimeSpan duration)
    {
        using var client = new HttpClient(new SocketsHttpHandler
        {
            MaxConnectionsPerServer = connections,
            UseProxy = false,
            UseCookies = false,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            ConnectCallback = ConnectAsync,
        });
        if (Environment.GetEnvironmentVariable(HeaderVariable) is { Length: > 0 } header)
        {
            var colon = header.IndexOf(':', StringComparison.Ordinal);
            client.DefaultRequestHeaders.TryAddWithoutValidation(header[..colon], header[(colon + 1)..].Trim());
        }

        var start = Stopwatch.GetTimestamp();
        var measureFrom = start + (long)(warmUp.TotalSeconds * Stopwatch.Frequency);
        var measureTo = measureFrom + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var workers = Enumerable.Range(0, connections).Select(_ => Task.Run(() => WorkAsync(client, url, measureFrom, measureTo))).ToArray();
        var results = await Task.WhenAll(workers);

        var latencies = results.SelectMany(r => r.Latencies).Order().ToArray();
        var result = new LoadResult(
            Requests: latencies.Length,
            Errors: results.Sum(r => r.Errors),
            Bytes: results.Sum(r => r.Bytes),
            Seconds: duration.TotalSeconds,
            P50: Percentile(latencies, 0.50),
            P99: Percentile(latencies, 0.99));
        Console.WriteLine(JsonSerializer.Serialize(result));
        return 0;
    }

    /// <summary>
    /// Names under <c>localhost</c> (web ports' origins, <c>{label}.ports.localhost</c>) go to loopback, as browsers
    /// resolve them; the system resolver here does not.
    /// </summary>
    public static async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var host = context.DnsEndPoint.Host;
        var socket = new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp) { NoDelay = true };
        try
        {
            if (host.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase))
            {
                await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, context.DnsEndPoint.Port), cancellationToken);
            }
            else
            {
                await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
            }

            return new System.Net.Sockets.NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private static async Task<Worker> WorkAsync(HttpClient client, Uri url, long measureFrom, long measureTo)
    {
        var worker = new Worker();
        while (true)
        {
            var started = Stopwatch.GetTimestamp();
            if (started >= measureTo)
            {
                return worker;
            }

            var ok = false;
            var length = 0;
            try
            {
                using var response = await client.GetAsync(url, HttpCompletionOption.ResponseContentRead);
                length = (await response.Content.ReadAsByteArrayAsync()).Length;
                ok = response.StatusCode == HttpStatusCode.OK;
            }
            catch (HttpRequestException)
            {
            }

            var finished = Stopwatch.GetTimestamp();
            if (finished < measureFrom || finished > measureTo)
            {
                continue;
            }

            if (ok)
            {
                worker.Latencies.Add(Stopwatch.GetElapsedTime(started, finished).TotalMilliseconds);
                worker.Bytes += length;
            }
            else
            {
                worker.Errors++;
            }
        }
    }

    private static double Percentile(double[] sorted, double p)
    {
        if (sorted.Length == 0)
        {
            return double.NaN;
        }

        var rank = p * (sorted.Length - 1);
        var low = (int)Math.Floor(rank);
        var high = (int)Math.Ceiling(rank);
        return sorted[low] + ((sorted[high] - sorted[low]) * (rank - low));
    }

    private sealed class Worker
    {
        public List<double> Latencies { get; } = [];
        public long Bytes { get; set; }
        public int Errors { get; set; }
    }
}
