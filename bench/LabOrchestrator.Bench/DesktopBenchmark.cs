using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;

namespace LabOrchestrator.Bench;

/// <summary>
/// A desktop node's VNC through the gateway's desktop WebSocket (which reaches Xvnc's unix socket through a Podman
/// VNC socket the engine opens) against websockify (the bridge noVNC ships with) and the floor, plain RFB over TCP, both to
/// the same Xvnc listening on TCP as well (LAB_DESKTOP_PORT, published on loopback for this benchmark only). Each
/// round runs every contender once per encoding (Raw; Tight and ZRLE as noVNC negotiates them), in an order that
/// rotates from round to round; medians over rounds are reported. While it runs, an xterm in the desktop lists a folder
/// five times a second, so that updates carry changing text, as a learner's desktop does.
/// </summary>
internal static class DesktopBenchmark
{
    private const string NodeName = "desktop";
    private const int VncPort = 5900;
    private static readonly string[] Encodings = [RfbClient.Raw, RfbClient.Tight, RfbClient.Zrle];

    // 120x40 characters of scrolling text, redrawn five times a second: a busy but ordinary desktop.
    private const string Animator =
        "setsid xterm -geometry 120x40+0+0 -e sh -c 'while :; do ls -l --color=always /usr/bin | tail -n 40; sleep 0.2; done' </dev/null >/dev/null 2>&1 &";

    // Xvnc also listens on TCP 5900 (lab files may not set LAB_* variables, so the command sets it), published on
    // loopback as a web port: the only way a lab publishes a port. Only websockify and the floor use it.
    private const string LabYaml = """
        name: desktop-bench
        title: Desktop benchmark
        nodes:
          - name: desktop
            image: localhost/lab-desktop:latest
            command: ["/usr/bin/env", "LAB_DESKTOP_PORT=5900", "/usr/local/bin/lab-entrypoint"]
            args: ["/usr/local/bin/lab-desktop"]
            access:
              desktop: true
              http:
                - name: vnc
                  port: 5900
            resources:
              cpu: "2"
              memory: 2Gi
        limits:
          duration: 1h
          idleTimeout: 1h
        """;

    public static async Task<int> RunAsync(BenchOptions options, TextWriter output, CancellationToken cancellationToken)
    {
        if (!File.Exists("/usr/bin/websockify"))
        {
            throw new InvalidOperationException("websockify is not installed: run `apt-get install -y websockify` first.");
        }

        await output.WriteLineAsync($"load before: {Load.Average()}");
        await using var server = await GatewayBenchServer.StartAsync(LabYaml, "desktop-bench", cancellationToken);
        var published = await ((LabOrchestrator.Podman.PodmanEngine)Microsoft.Extensions.DependencyInjection.ServiceProviderKeyedServiceExtensions.GetRequiredKeyedService<LabOrchestrator.Engines.ILabEngine>(server.Services, LabOrchestrator.Podman.PodmanEngine.EngineName)).FindPortEndpointAsync(server.Session.Id, NodeName, VncPort, cancellationToken)
            ?? throw new InvalidOperationException($"The node does not publish port {VncPort}.");
        await WaitForRfbAsync(published, cancellationToken);

        var socketPort = PeerProcess.FreePort();
        await using var websockify = await PeerProcess.StartAsync(
            "websockify", "/usr/bin/websockify", [$"127.0.0.1:{socketPort}", published.ToString()], socketPort, null, cancellationToken);

        var gateway = new Uri($"ws://{server.Address.Authority}/gateway/sessions/{server.Session.Id}/nodes/{NodeName}/desktop");
        var animated = await server.Sessions.ExecAsync(server.Session.Id, NodeName, ["sh", "-c", Animator], TimeSpan.FromSeconds(20), cancellationToken);
        if (animated.ExitCode != 0)
        {
            throw new InvalidOperationException($"Starting the xterm that changes the screen failed: {animated.StandardError}");
        }

        var byEncoding = Encodings.ToDictionary(e => e, e => new Contender<DesktopResult>[]
        {
            new("gateway (WebSocket to the desktop's VNC socket)", gateway, $"Authorization: Bearer {server.ApiToken}"),
            new($"websockify {WebsockifyVersion()} (WebSocket to TCP)", new Uri($"ws://127.0.0.1:{socketPort}/"), null),
            new("floor (RFB over TCP, published port)", new Uri($"tcp://{published}"), null),
            new("gateway's own floor (ISessionService.OpenDesktopAsync read in-process, no WebSocket)", new Uri("exec:lab-vnc-connect"), null),
        });
        await output.WriteLineAsync($"{options.Seconds} s of full-screen updates and 300 updates of 64x64 per run, {options.Rounds} rounds, encodings {string.Join(", ", Encodings)}");
        for (var round = 0; round < options.Rounds; round++)
        {
            foreach (var (encoding, contenders) in byEncoding)
            {
                for (var turn = 0; turn < contenders.Length; turn++)
                {
                    var contender = contenders[(round + turn) % contenders.Length];
                    var result = contender.Url.Scheme == "exec"
                        ? await ExecFloorAsync(server, options, encoding, cancellationToken)
                        : await RunClientAsync(contender, options, encoding, cancellationToken);
                    contender.Results.Add(result);
                    await output.WriteLineAsync(
                        $"round {round + 1} {encoding}: {contender.Name}: {result.UpdatesPerSecond:0.0} updates/s ({result.Width}x{result.Height}), {result.MegabytesPerSecond:0.0} MB/s, " +
                        $"64x64 first byte p50 {result.FirstByteP50:0.000} p99 {result.FirstByteP99:0.000} ms, last byte p50 {result.LastByteP50:0.000} p99 {result.LastByteP99:0.000} ms (load {Load.Average()})");
                }
            }
        }

        foreach (var (encoding, contenders) in byEncoding)
        {
            await ReportAsync(output, options, encoding, contenders);
        }

        await output.WriteLineAsync($"load after: {Load.Average()}");
        return 0;
    }

    private static async Task<DesktopResult> RunClientAsync(Contender<DesktopResult> contender, BenchOptions options, string encoding, CancellationToken cancellationToken)
    {
        var environment = new Dictionary<string, string>();
        if (contender.Header is not null)
        {
            environment[HttpLoad.HeaderVariable] = contender.Header;
        }

        var line = await ChildProcess.RunSelfAsync(
            ["desktop-client", contender.Url.ToString(), options.Seconds.ToString(CultureInfo.InvariantCulture), encoding], environment, cancellationToken);
        return JsonSerializer.Deserialize<DesktopResult>(line) ?? throw new InvalidOperationException($"The client printed '{line}'.");
    }

    /// <summary>The path the gateway bridges, without the gateway: the engine's desktop stream, read in this process.</summary>
    private static async Task<DesktopResult> ExecFloorAsync(GatewayBenchServer server, BenchOptions options, string encoding, CancellationToken cancellationToken)
    {
        await using var stream = await server.Sessions.OpenDesktopAsync(server.Session.Id, NodeName, cancellationToken);
        return await DesktopLoad.MeasureAsync(stream, TimeSpan.FromSeconds(options.Seconds), encoding, cancellationToken);
    }

    /// <summary>Xvnc starts a moment after the container: wait for its RFB banner on the published port.</summary>
    private static async Task WaitForRfbAsync(IPEndPoint endpoint, CancellationToken cancellationToken)
    {
        var deadline = DateTimeOffset.UtcNow.AddSeconds(30);
        while (true)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(endpoint, cancellationToken);
                var banner = new byte[12];
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                timeout.CancelAfter(TimeSpan.FromSeconds(2));
                await client.GetStream().ReadExactlyAsync(banner, timeout.Token);
                return;
            }
            catch (Exception e) when (e is SocketException or IOException or OperationCanceledException && DateTimeOffset.UtcNow < deadline)
            {
                await Task.Delay(200, cancellationToken);
            }
        }
    }

    private static string WebsockifyVersion()
    {
        var status = "/var/lib/dpkg/status";
        if (!File.Exists(status))
        {
            return "";
        }

        var entry = File.ReadAllText(status).Split("\n\n").FirstOrDefault(e => e.StartsWith("Package: websockify\n", StringComparison.Ordinal));
        return entry?.Split('\n').FirstOrDefault(l => l.StartsWith("Version: ", StringComparison.Ordinal))?["Version: ".Length..] ?? "";
    }

    private static async Task ReportAsync(TextWriter output, BenchOptions options, string encoding, Contender<DesktopResult>[] contenders)
    {
        await output.WriteLineAsync();
        await output.WriteLineAsync($"Desktop (RFB, {encoding} encoding, 32 bpp), {options.Rounds} rounds, {Environment.ProcessorCount} cores (medians over rounds):");
        await output.WriteLineAsync();
        await output.WriteLineAsync("| contender | full-screen updates/s | MB/s | 64x64 first byte p50 / p99 ms | 64x64 whole update p50 / p99 ms |");
        await output.WriteLineAsync("|---|---:|---:|---:|---:|");
        foreach (var c in contenders)
        {
            await output.WriteLineAsync(
                $"| {c.Name} | {c.Median(r => r.UpdatesPerSecond):0.0} | {c.Median(r => r.MegabytesPerSecond):0.0} | " +
                $"{c.Median(r => r.FirstByteP50):0.000} / {c.Median(r => r.FirstByteP99):0.000} | {c.Median(r => r.LastByteP50):0.000} / {c.Median(r => r.LastByteP99):0.000} |");
        }

        var (gateway, peer, floor) = (contenders[0], contenders[1], contenders[2]);
        await output.WriteLineAsync();
        foreach (var other in new[] { peer, floor, contenders[3] })
        {
            await output.WriteLineAsync(
                $"gateway / {other.Name}: throughput {gateway.Median(r => r.MegabytesPerSecond) / other.Median(r => r.MegabytesPerSecond):0.00}, " +
                $"64x64 first byte p50 {gateway.Median(r => r.FirstByteP50) / other.Median(r => r.FirstByteP50):0.00}, p99 {gateway.Median(r => r.FirstByteP99) / other.Median(r => r.FirstByteP99):0.00}; " +
                $"whole 64x64 update p50 {gateway.Median(r => r.LastByteP50) / other.Median(r => r.LastByteP50):0.00}, p99 {gateway.Median(r => r.LastByteP99) / other.Median(r => r.LastByteP99):0.00}; " +
                $"added latency p50 {gateway.Median(r => r.FirstByteP50) - other.Median(r => r.FirstByteP50):+0.000;-0.000} ms");
        }
    }
}
