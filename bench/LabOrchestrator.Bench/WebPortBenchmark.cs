using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text.Json;

namespace LabOrchestrator.Bench;

/// <summary>
/// A node's web port through the gateway (YARP on the port's own origin, authorised per request by its access cookie)
/// against configurable-http-proxy (JupyterHub's proxy) in front of the same published port, and the floor: the
/// published port itself. Each round runs every contender once, in an order that rotates from round to round, with
/// the same load (N keep-alive connections of a child process) for a fixed time; medians over rounds are reported.
/// </summary>
internal static class WebPortBenchmark
{
    private const string NodeName = "web";
    private const int WebPort = 8000;
    private const string LabName = "webport-bench";

    // A static page of about 3 KB from a small HTTP/1.1 keep-alive server (one perl process, one select loop; perl is in
    // lab-base). Not busybox httpd: it closes every connection and listens with a backlog of 9, so 32 clients overflow
    // it and dropped SYNs put 1 s retransmits into every contender's p99 — the benchmark would measure busybox.
    private const string LabYaml = """
        name: webport-bench
        title: Web port benchmark
        nodes:
          - name: web
            image: localhost/lab-base:latest
            command: ["/bin/sh", "-c"]
            args:
              - |
                mkdir -p /srv
                { echo '<!doctype html><title>bench</title><pre>'; i=0; while [ $i -lt 64 ]; do echo "line $i of a static page served to the benchmark."; i=$((i+1)); done; echo '</pre>'; } > /srv/index.html
                cat > /srv/serve.pl <<'PERL'
                use strict; use warnings; use IO::Socket::INET; use IO::Select;
                my $body = do { local $/; open my $f, '<', '/srv/index.html' or die $!; <$f> };
                my $head = "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: " . length($body) . "\r\n";
                my $listener = IO::Socket::INET->new(LocalPort => 8000, Listen => 1024, ReuseAddr => 1, Blocking => 0) or die "listen: $!";
                my $select = IO::Select->new($listener);
                my %pending;
                sub finish { my $s = shift; $select->remove($s); delete $pending{fileno $s}; close $s; }
                while (1) {
                  for my $s ($select->can_read) {
                    if ($s == $listener) { while (my $c = $listener->accept) { $c->blocking(1); $select->add($c); $pending{fileno $c} = ''; } next; }
                    my $n = sysread($s, $pending{fileno $s}, 65536, length $pending{fileno $s});
                    if (!$n) { finish($s); next; }
                    while ((my $end = index($pending{fileno $s}, "\r\n\r\n")) >= 0) {
                      my $request = substr($pending{fileno $s}, 0, $end + 4, '');
                      my $close = $request =~ /^Connection:\s*close/im || $request !~ m{^\S+ \S+ HTTP/1\.1\r\n};
                      my $response = $head . ($close ? "Connection: close\r\n" : "") . "\r\n" . $body;
                      while (length $response) { my $w = syswrite($s, $response) or last; substr($response, 0, $w, ''); }
                      if ($close) { finish($s); last; }
                    }
                  }
                }
                PERL
                exec perl /srv/serve.pl
            access:
              http:
                - name: web
                  port: 8000
            resources:
              cpu: "2"
              memory: 1Gi
        limits:
          duration: 1h
          idleTimeout: 1h
        """;

    public static async Task<int> RunAsync(BenchOptions options, TextWriter output, CancellationToken cancellationToken)
    {
        var chp = Repository.Path("bench", "peers", "node_modules", "configurable-http-proxy", "bin", "configurable-http-proxy");
        if (!File.Exists(chp))
        {
            throw new InvalidOperationException("configurable-http-proxy is not installed: run `npm ci --prefix bench/peers` first.");
        }

        await output.WriteLineAsync($"load before: {Load.Average()}");
        await using var server = await GatewayBenchServer.StartAsync(LabYaml, LabName, cancellationToken);
        var published = await ((LabOrchestrator.Podman.PodmanEngine)Microsoft.Extensions.DependencyInjection.ServiceProviderKeyedServiceExtensions.GetRequiredKeyedService<LabOrchestrator.Engines.ILabEngine>(server.Services, LabOrchestrator.Podman.PodmanEngine.EngineName)).FindPortEndpointAsync(server.Session.Id, NodeName, WebPort, cancellationToken)
            ?? throw new InvalidOperationException($"The node does not publish port {WebPort}.");
        var direct = new Uri($"http://{published}/index.html");
        await WaitForPageAsync(direct, null, cancellationToken);

        var issued = await server.IssueAccessAsync(["http"], cancellationToken);
        var portUrl = new Uri(issued.GetProperty("nodes").GetProperty(NodeName).GetProperty("ports").GetProperty("web").GetString()!);
        // The port's own origin ({session}-{node}-{port}.ports.localhost); API tokens do not open web ports.
        var gateway = new Uri(portUrl, "/index.html");
        // What a browser sends once it has traded the access token of a port URL for the port's cookie.
        var accessToken = System.Web.HttpUtility.ParseQueryString(portUrl.Query)["access_token"]!;
        var cookie = $"Cookie: labo-port={accessToken}";
        await WaitForPageAsync(gateway, cookie, cancellationToken);

        var proxyPort = PeerProcess.FreePort();
        var apiPort = PeerProcess.FreePort();
        await using var proxy = await PeerProcess.StartAsync(
            "configurable-http-proxy",
            "node",
            [chp, "--ip", "127.0.0.1", "--port", proxyPort.ToString(CultureInfo.InvariantCulture), "--api-ip", "127.0.0.1",
             "--api-port", apiPort.ToString(CultureInfo.InvariantCulture), "--default-target", $"http://{published}", "--log-level", "warn"],
            proxyPort,
            new Dictionary<string, string> { ["CONFIGPROXY_AUTH_TOKEN"] = Convert.ToHexString(RandomNumberGenerator.GetBytes(16)) },
            cancellationToken);
        var peer = new Uri($"http://127.0.0.1:{proxyPort}/index.html");
        await WaitForPageAsync(peer, null, cancellationToken);

        Contender<LoadResult>[] contenders =
        [
            new("gateway, access-token cookie (browser)", gateway, cookie),
            new("configurable-http-proxy 5.3.0 (node)", peer, null),
            new("floor (published port, no proxy)", direct, null),
        ];
        await output.WriteLineAsync($"{options.Connections} connections, {options.Seconds} s measured after 1 s warm-up per run, {options.Rounds} rounds; page {await PageSizeAsync(direct, cancellationToken)} bytes");
        for (var round = 0; round < options.Rounds; round++)
        {
            for (var turn = 0; turn < contenders.Length; turn++)
            {
                var contender = contenders[(round + turn) % contenders.Length];
                var result = await LoadAsync(contender, options, cancellationToken);
                contender.Results.Add(result);
                await output.WriteLineAsync($"round {round + 1}: {contender.Name}: {result.RequestsPerSecond:0} req/s, p50 {result.P50:0.00} ms, p99 {result.P99:0.00} ms, {result.Errors} errors");
            }
        }

        await ReportAsync(output, options, contenders);
        await GatewaySteps.ReportAsync(server, NodeName, WebPort, accessToken, output, cancellationToken);
        await output.WriteLineAsync($"load after: {Load.Average()}");
        return 0;
    }

    private static async Task<LoadResult> LoadAsync(Contender<LoadResult> contender, BenchOptions options, CancellationToken cancellationToken)
    {
        var environment = new Dictionary<string, string>();
        if (contender.Header is not null)
        {
            environment[HttpLoad.HeaderVariable] = contender.Header;
        }

        var line = await ChildProcess.RunSelfAsync(
            ["webport-client", contender.Url.ToString(), options.Connections.ToString(CultureInfo.InvariantCulture), options.Seconds.ToString(CultureInfo.InvariantCulture)],
            environment,
            cancellationToken);
        return JsonSerializer.Deserialize<LoadResult>(line) ?? throw new InvalidOperationException($"The client printed '{line}'.");
    }

    private static async Task WaitForPageAsync(Uri url, string? header, CancellationToken cancellationToken)
    {
        using var client = new HttpClient(new SocketsHttpHandler { UseCookies = false, AllowAutoRedirect = false, ConnectCallback = HttpLoad.ConnectAsync });
        if (header is not null)
        {
            var colon = header.IndexOf(':', StringComparison.Ordinal);
            client.DefaultRequestHeaders.TryAddWithoutValidation(header[..colon], header[(colon + 1)..].Trim());
        }

        var deadline = DateTimeOffset.UtcNow.AddSeconds(30);
        while (true)
        {
            try
            {
                using var response = await client.GetAsync(url, cancellationToken);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }

                if (DateTimeOffset.UtcNow > deadline)
                {
                    throw new InvalidOperationException($"{url.GetLeftPart(UriPartial.Authority)} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(cancellationToken)}");
                }
            }
            catch (HttpRequestException) when (DateTimeOffset.UtcNow < deadline)
            {
            }

            await Task.Delay(200, cancellationToken);
        }
    }

    private static async Task<int> PageSizeAsync(Uri url, CancellationToken cancellationToken)
    {
        using var client = new HttpClient();
        return (await client.GetByteArrayAsync(url, cancellationToken)).Length;
    }

    private static async Task ReportAsync(TextWriter output, BenchOptions options, Contender<LoadResult>[] contenders)
    {
        await output.WriteLineAsync();
        await output.WriteLineAsync($"Web port, GET of one static page, {options.Connections} keep-alive connections, {options.Rounds} rounds x {options.Seconds} s, {Environment.ProcessorCount} cores (medians over rounds):");
        await output.WriteLineAsync();
        await output.WriteLineAsync("| contender | requests/s | p50 ms | p99 ms | errors |");
        await output.WriteLineAsync("|---|---:|---:|---:|---:|");
        foreach (var c in contenders)
        {
            await output.WriteLineAsync($"| {c.Name} | {c.Median(r => r.RequestsPerSecond):0} | {c.Median(r => r.P50):0.00} | {c.Median(r => r.P99):0.00} | {c.Results.Sum(r => r.Errors)} |");
        }

        var (peer, floor) = (contenders[2], contenders[3]);
        await output.WriteLineAsync();
        foreach (var gateway in contenders[..2])
        {
            var perRound = gateway.Results.Zip(peer.Results, (g, p) => g.RequestsPerSecond / p.RequestsPerSecond).Order();
            await output.WriteLineAsync(
                $"{gateway.Name} / configurable-http-proxy: throughput {gateway.Median(r => r.RequestsPerSecond) / peer.Median(r => r.RequestsPerSecond):0.00} " +
                $"(rounds: {string.Join(", ", perRound.Select(r => r.ToString("0.00", CultureInfo.InvariantCulture)))}; target: at least 1.50), " +
                $"p50 {gateway.Median(r => r.P50) / peer.Median(r => r.P50):0.00}, p99 {gateway.Median(r => r.P99) / peer.Median(r => r.P99):0.00}; " +
                $"throughput / floor {gateway.Median(r => r.RequestsPerSecond) / floor.Median(r => r.RequestsPerSecond):0.00}");
        }

        await output.WriteLineAsync($"configurable-http-proxy / floor: throughput {peer.Median(r => r.RequestsPerSecond) / floor.Median(r => r.RequestsPerSecond):0.00}");
    }
}
