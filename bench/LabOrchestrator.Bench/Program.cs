using System.Globalization;
using LabOrchestrator.Bench;

// Usage: dotnet run -c Release --project bench/LabOrchestrator.Bench -- [cold-start|gateway|gateway-memory] [--rounds N] [--connections N]
var rounds = 7;
var connections = 1000;
for (var i = 0; i < args.Length; i++)
{
    if (args[i] == "--rounds" && i + 1 < args.Length && int.TryParse(args[i + 1], out var n) && n > 0)
    {
        rounds = n;
    }

    if (args[i] == "--connections" && i + 1 < args.Length && int.TryParse(args[i + 1], out var c) && c > 0)
    {
        connections = c;
    }
}

return args.FirstOrDefault() switch
{
    "gateway" => await GatewayBenchmark.RunAsync(Console.Out, CancellationToken.None),
    "gateway-memory" => await GatewayMemoryBenchmark.RunAsync(connections, Console.Out, CancellationToken.None),
    "gateway-clients" => await GatewayMemoryBenchmark.ClientsAsync(new Uri(args[1]), int.Parse(args[2], CultureInfo.InvariantCulture)),
    _ => await ColdStartBenchmark.RunAsync(rounds, Console.Out, CancellationToken.None),
};
