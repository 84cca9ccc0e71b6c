using System.Diagnostics;
using System.Net.WebSockets;

namespace LabOrchestrator.Bench;

/// <summary>
/// Memory of the server per idle terminal connection: N WebSockets (each with its own shell through a Podman exec) are
/// opened by a child process, so that the difference measured in this process is the server's alone.
/// </summary>
internal static class GatewayMemoryBenchmark
{
    public static async Task<int> RunAsync(int connections, TextWriter output, CancellationToken cancellationToken)
    {
        await using var server = await GatewayBenchServer.StartAsync(cancellationToken);
        // Warm up: JIT, pools and the first exec, so the baseline is not flattered by lazy start-up work.
        await RunClientsAsync(server.TerminalUrl, 20, output, hold: TimeSpan.FromSeconds(1), measure: null, cancellationToken);
        await Task.Delay(TimeSpan.FromSeconds(3), cancellationToken);

        var (heapBefore, workingSetBefore) = Measure();
        (long Heap, long WorkingSet) after = default;
        await RunClientsAsync(server.TerminalUrl, connections, output, hold: TimeSpan.FromSeconds(3), () => after = Measure(), cancellationToken);

        var heap = (after.Heap - heapBefore) / (double)connections;
        var workingSet = (after.WorkingSet - workingSetBefore) / (double)connections;
        await output.WriteLineAsync();
        await output.WriteLineAsync($"Server memory per idle terminal connection, {connections} open WebSockets (each bridged to its own Podman exec shell):");
        await output.WriteLineAsync();
        await output.WriteLineAsync("| measure | before MB | with connections MB | per connection KB |");
        await output.WriteLineAsync("|---|---:|---:|---:|");
        await output.WriteLineAsync($"| GC heap after full collection | {heapBefore / 1e6:0.0} | {after.Heap / 1e6:0.0} | {heap / 1024:0.0} |");
        await output.WriteLineAsync($"| process working set | {workingSetBefore / 1e6:0.0} | {after.WorkingSet / 1e6:0.0} | {workingSet / 1024:0.0} |");
        await output.WriteLineAsync();
        await output.WriteLineAsync("Target: under 64 KB per connection.");
        return 0;
    }

    /// <summary>The child process: opens <paramref name="connections"/> WebSockets, says so, and holds them until stdin closes.</summary>
    public static async Task<int> ClientsAsync(Uri url, int connections)
    {
        var sockets = new List<ClientWebSocket>();
        using var gate = new SemaphoreSlim(16);
        var opening = Enumerable.Range(0, connections).Select(async _ =>
        {
            await gate.WaitAsync();
            try
            {
                var socket = new ClientWebSocket();
                await socket.ConnectAsync(url, CancellationToken.None);
                lock (sockets)
                {
                    sockets.Add(socket);
                }
            }
            finally
            {
                gate.Release();
            }
        });
        await Task.WhenAll(opening);
        Console.WriteLine($"OPEN {sockets.Count}");
        await Console.In.ReadToEndAsync();
        foreach (var socket in sockets)
        {
            socket.Abort();
            socket.Dispose();
        }

        return 0;
    }

    private static async Task RunClientsAsync(Uri url, int connections, TextWriter output, TimeSpan hold, Action? measure, CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo(Environment.ProcessPath!) { RedirectStandardInput = true, RedirectStandardOutput = true };
        if (Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet")
        {
            // Started as `dotnet LabOrchestrator.Bench.dll` (or dotnet run): the child needs the dll too.
            info.ArgumentList.Add(typeof(GatewayMemoryBenchmark).Assembly.Location);
        }

        foreach (var arg in new[] { "gateway-clients", url.ToString(), connections.ToString(System.Globalization.CultureInfo.InvariantCulture) })
        {
            info.ArgumentList.Add(arg);
        }

        using var child = Process.Start(info) ?? throw new InvalidOperationException("The client process did not start.");
        var started = Stopwatch.StartNew();
        var line = await child.StandardOutput.ReadLineAsync(cancellationToken);
        if (line != $"OPEN {connections}")
        {
            throw new InvalidOperationException($"The client process said '{line}' instead of opening {connections} connections.");
        }

        await output.WriteLineAsync($"{connections} connections open after {started.Elapsed.TotalSeconds:0.0} s");
        await Task.Delay(hold, cancellationToken);
        measure?.Invoke();
        child.StandardInput.Close();
        await child.WaitForExitAsync(cancellationToken);
    }

    private static (long Heap, long WorkingSet) Measure()
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        using var self = Process.GetCurrentProcess();
        return (GC.GetTotalMemory(forceFullCollection: true), self.WorkingSet64);
    }
}
