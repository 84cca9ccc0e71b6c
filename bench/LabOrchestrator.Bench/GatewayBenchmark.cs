using System.Diagnostics;
using LabOrchestrator.Engines;

namespace LabOrchestrator.Bench;

/// <summary>
/// The terminal gateway against a direct Podman exec stream to the same node: echo round trips of one byte through
/// <c>stty raw -echo; cat</c> (p50, p99) and output throughput of <c>head -c 200M /dev/zero</c> in a raw terminal.
/// </summary>
internal static class GatewayBenchmark
{
    private const int WarmUpRounds = 200;
    private const int EchoRounds = 3000;
    private const long ThroughputBytes = 200L * 1024 * 1024;
    private const int ThroughputRuns = 3;

    public static async Task<int> RunAsync(TextWriter output, CancellationToken cancellationToken)
    {
        await using var server = await GatewayBenchServer.StartAsync(cancellationToken);
        var direct = new Samples("direct (Podman exec stream)");
        var gateway = new Samples("gateway (WebSocket)");
        await EchoAsync(await DirectAsync(server, cancellationToken), direct);
        await EchoAsync(await GatewayProbe.GatewayAsync(server.TerminalUrl, cancellationToken), gateway);

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
        await output.WriteLineAsync();
        await output.WriteLineAsync($"Terminal gateway vs direct exec stream, {EchoRounds} one-byte echoes, {ThroughputRuns} x 200 MiB, {Environment.ProcessorCount} cores:");
        await output.WriteLineAsync();
        await output.WriteLineAsync("| contender | echo p50 ms | echo p99 ms | throughput MB/s (median) |");
        await output.WriteLineAsync("|---|---:|---:|---:|");
        await output.WriteLineAsync($"| {direct.Name} | {direct.Percentile(0.5):0.000} | {direct.Percentile(0.99):0.000} | {directRate / 1e6:0} |");
        await output.WriteLineAsync($"| {gateway.Name} | {gateway.Percentile(0.5):0.000} | {gateway.Percentile(0.99):0.000} | {gatewayRate / 1e6:0} |");
        await output.WriteLineAsync();
        await output.WriteLineAsync($"Ratios gateway / direct: p50 {gateway.Percentile(0.5) / direct.Percentile(0.5):0.00}, p99 {gateway.Percentile(0.99) / direct.Percentile(0.99):0.00} (target: at most 1.20), throughput {gatewayRate / directRate:0.00} (target: at least 0.90)");
        return 0;
    }

    private static async Task<GatewayProbe> DirectAsync(GatewayBenchServer server, CancellationToken cancellationToken) =>
        await GatewayProbe.DirectAsync(await server.Sessions.OpenTerminalAsync(server.Session.Id, "linux", new TerminalOptions(), cancellationToken));

    private static async Task EchoAsync(GatewayProbe probe, Samples samples)
    {
        await using (probe)
        {
            await probe.StartEchoAsync();
            var key = new byte[] { (byte)'a' };
            var expected = probe.Received;
            for (var round = 0; round < WarmUpRounds + EchoRounds; round++)
            {
                var started = Stopwatch.GetTimestamp();
                await probe.SendAsync(key);
                await probe.WaitForBytesAsync(++expected);
                if (round >= WarmUpRounds)
                {
                    samples.Add(Stopwatch.GetElapsedTime(started));
                }
            }
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
