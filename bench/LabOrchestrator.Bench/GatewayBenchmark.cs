using System.Diagnostics;
using LabOrchestrator.Engines;

namespace LabOrchestrator.Bench;

/// <summary>
/// The terminal gateway against a direct Podman exec stream to the same node: echo round trips of one byte through
/// <c>stty raw -echo; cat</c> and output throughput of <c>head -c 200M /dev/zero</c> in a raw terminal. Echo runs in
/// interleaved rounds (direct then gateway, or the other way round, alternating), each contender on its own terminal
/// kept open over all rounds; each round gives one p99 per contender and their ratio, and the report gives the median
/// and spread of those ratios, since one round on a shared machine says little about a tail.
/// </summary>
internal static class GatewayBenchmark
{
    private const int WarmUpRounds = 200;
    private const int EchoRounds = 2000;
    private const long ThroughputBytes = 200L * 1024 * 1024;
    private const int ThroughputRuns = 3;

    public static async Task<int> RunAsync(int rounds, TextWriter output, CancellationToken cancellationToken)
    {
        await output.WriteLineAsync($"load before: {Load.Average()}");
        await using var server = await GatewayBenchServer.StartAsync(cancellationToken);
        var direct = new Samples("direct (Podman exec stream)");
        var gateway = new Samples("gateway (WebSocket)");
        var ratios = new List<(double P50, double P99)>();
        await using (var directProbe = await DirectAsync(server, cancellationToken))
        await using (var gatewayProbe = await GatewayProbe.GatewayAsync(server.TerminalUrl, cancellationToken))
        {
            await directProbe.StartEchoAsync();
            await gatewayProbe.StartEchoAsync();
            await EchoAsync(directProbe, new Samples("warm-up"), WarmUpRounds);
            await EchoAsync(gatewayProbe, new Samples("warm-up"), WarmUpRounds);
            for (var round = 0; round < rounds; round++)
            {
                var d = new Samples(direct.Name);
                var g = new Samples(gateway.Name);
                var directFirst = round % 2 == 0;
                await EchoAsync(directFirst ? directProbe : gatewayProbe, directFirst ? d : g, EchoRounds);
                await EchoAsync(directFirst ? gatewayProbe : directProbe, directFirst ? g : d, EchoRounds);

                direct.AddRange(d);
                gateway.AddRange(g);
                ratios.Add((g.Percentile(0.5) / d.Percentile(0.5), g.Percentile(0.99) / d.Percentile(0.99)));
                await output.WriteLineAsync(
                    $"echo round {round + 1}: direct p50 {d.Percentile(0.5):0.000} p99 {d.Percentile(0.99):0.000} ms, gateway p50 {g.Percentile(0.5):0.000} p99 {g.Percentile(0.99):0.000} ms, " +
                    $"ratio p50 {ratios[^1].P50:0.00} p99 {ratios[^1].P99:0.00} (load {Load.Average()})");
            }
        }

        var directRates = new List<double>();
        var gatewayRates = new List<double>();
        for (var run = 0; run < ThroughputRuns; run++)
        {
            directRates.Add(await ThroughputAsync(await DirectAsync(server, cancellationToken)));
            gatewayRates.Add(await ThroughputAsync(await GatewayProbe.GatewayAsync(server.TerminalUrl, cancellationToken)));
            await output.WriteLineAsync($"throughput run {run + 1}: direct {directRates[^1] / 1e6:0} MB/s, gateway {gatewayRates[^1] / 1e6:0} MB/s");
        }

        var directRate = directRates.Order().ElementAt(ThroughputRuns / 2);
        var gatewayRate = gatewayRates.Order().ElementAt(ThroughputRuns / 2);
        var p99s = ratios.Select(r => r.P99).Order().ToList();
        var p50s = ratios.Select(r => r.P50).Order().ToList();
        await output.WriteLineAsync();
        await output.WriteLineAsync($"Terminal gateway vs direct exec stream, {rounds} interleaved rounds of {EchoRounds} one-byte echoes, {ThroughputRuns} x 200 MiB, {Environment.ProcessorCount} cores:");
        await output.WriteLineAsync();
        await output.WriteLineAsync("| contender | echo p50 ms (all rounds) | echo p99 ms (all rounds) | throughput MB/s (median) |");
        await output.WriteLineAsync("|---|---:|---:|---:|");
        await output.WriteLineAsync($"| {direct.Name} | {direct.Percentile(0.5):0.000} | {direct.Percentile(0.99):0.000} | {directRate / 1e6:0} |");
        await output.WriteLineAsync($"| {gateway.Name} | {gateway.Percentile(0.5):0.000} | {gateway.Percentile(0.99):0.000} | {gatewayRate / 1e6:0} |");
        await output.WriteLineAsync();
        await output.WriteLineAsync(
            $"Per-round p99 ratio gateway / direct: median {Median(p99s):0.00}, spread {p99s[0]:0.00}–{p99s[^1]:0.00} (target: median at most 1.10); " +
            $"p50 ratio median {Median(p50s):0.00} ({p50s[0]:0.00}–{p50s[^1]:0.00}); throughput {gatewayRate / directRate:0.00} (target: at least 0.90)");
        await output.WriteLineAsync($"load after: {Load.Average()}");
        return 0;
    }

    private static double Median(List<double> sorted) =>
        sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;

    private static async Task<GatewayProbe> DirectAsync(GatewayBenchServer server, CancellationToken cancellationToken) =>
        await GatewayProbe.DirectAsync(await server.Sessions.OpenTerminalAsync(server.Session.Id, "linux", new TerminalOptions(), cancellationToken));

    private static async Task EchoAsync(GatewayProbe probe, Samples samples, int count)
    {
        var key = new byte[] { (byte)'a' };
        var expected = probe.Received;
        for (var round = 0; round < count; round++)
        {
            var started = Stopwatch.GetTimestamp();
            await probe.SendAsync(key);
            await probe.WaitForBytesAsync(++expected);
            samples.Add(Stopwatch.GetElapsedTime(started));
        }
    }
    private static async Task<double> ThroughputAsync(GatewayProbe probe)
    {
        await using (probe)
        {
            // Let the login shell print its prompt, then count only what the command prints (its echoed line adds < 100 bytes).
            await Task.Delay(500);
            probe.StopCapturing();
            var start = probe.Received;
            var started = Stopwatch.GetTimestamp();
            await probe.SendAsync($"stty raw -echo; head -c {ThroughputBytes} /dev/zero\r");
            await probe.WaitForBytesAsync(start + ThroughputBytes);
            return ThroughputBytes / Stopwatch.GetElapsedTime(started).TotalSeconds;
        }
    }
}
