using System.Globalization;
using LabOrchestrator.Bench;

// Usage: dotnet run -c Release --project bench/LabOrchestrator.Bench -- [--mode] cold-start|parallel-start|reset|gateway|gateway-memory|webport|desktop|load|capacity|pause|warm-pool|class
//        [--rounds N] [--connections N] [--seconds N]   (load: --connections = learners, --seconds = how long; capacity: --connections = most sessions;
//        class: --connections = learners (default 10 then 20), --rounds, and --LabOrchestrator:Key=Value for the server)
BenchOptions options;
try
{
    options = BenchOptions.Parse(args);
}
catch (ArgumentException e)
{
    await Console.Error.WriteLineAsync(e.Message);
    return 2;
}

// Ctrl+C cancels, so that sessions, containers and peer processes are still cleaned up on the way out.
using var interrupted = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    interrupted.Cancel();
};

try
{
    return options.Mode switch
    {
        "gateway" => await GatewayBenchmark.RunAsync(options.RoundsOption ?? 5, Console.Out, CancellationToken.None),
        "gateway-memory" => await GatewayMemoryBenchmark.RunAsync(options.ConnectionsOption ?? 1000, Console.Out, CancellationToken.None),
        "gateway-clients" => await GatewayMemoryBenchmark.ClientsAsync(new Uri(args[1]), int.Parse(args[2], CultureInfo.InvariantCulture)),
        "webport" => await WebPortBenchmark.RunAsync(options, Console.Out, interrupted.Token),
        "webport-client" => await HttpLoad.RunAsync(new Uri(args[1]), int.Parse(args[2], CultureInfo.InvariantCulture), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(int.Parse(args[3], CultureInfo.InvariantCulture))),
        "desktop" => await DesktopBenchmark.RunAsync(options, Console.Out, interrupted.Token),
        "desktop-client" => await DesktopLoad.RunAsync(new Uri(args[1]), TimeSpan.FromSeconds(int.Parse(args[2], CultureInfo.InvariantCulture)), args[3]),
        "cold-start" => await ColdStartBenchmark.RunAsync(options.RoundsOption ?? 7, Console.Out, CancellationToken.None),
        "load" => await LoadBenchmark.RunAsync(options.ConnectionsOption ?? 50, TimeSpan.FromSeconds(options.SecondsOption ?? 180), Console.Out, interrupted.Token),
        "load-server" => await LoadServer.ServeAsync(args[1..]),
        "capacity" => await CapacityBenchmark.RunAsync(options.ConnectionsOption ?? 100, Console.Out, interrupted.Token),
        "class" => await ClassBenchmark.RunAsync(options.ConnectionsOption is { } n ? [n] : [10, 20], options.RoundsOption ?? 1, options.Rest.Where(a => a.StartsWith("--LabOrchestrator:", StringComparison.Ordinal) || a.StartsWith("--Podman:", StringComparison.Ordinal)).ToList(), Console.Out, interrupted.Token),
        "pause" => await PauseBenchmark.RunAsync(options.RoundsOption ?? 9, Console.Out, interrupted.Token),
        // The same run, judged by issue 12's target for starting nodes in parallel (the floor plays pods one after another).
        "parallel-start" => await ColdStartBenchmark.RunAsync(options.RoundsOption ?? 7, Console.Out, CancellationToken.None, "at most 0.70 (issue 12, nodes started in parallel)"),
        "reset" => await ResetBenchmark.RunAsync(options.RoundsOption ?? 5, Console.Out, CancellationToken.None),
        "warm-pool" => await WarmPoolBenchmark.RunAsync(options.RoundsOption ?? 20, Console.Out, interrupted.Token),
        _ => throw new ArgumentException($"Unknown mode '{options.Mode}': use cold-start, parallel-start, reset, gateway, gateway-memory, webport, desktop, load, capacity, pause, warm-pool or class."),
    };
}
catch (OperationCanceledException) when (interrupted.IsCancellationRequested)
{
    await Console.Error.WriteLineAsync("interrupted; cleaned up");
    return 130;
}
catch (Exception e) when (e is InvalidOperationException or ArgumentException)
{
    await Console.Error.WriteLineAsync($"error: {e.Message}");
    return 1;
}
