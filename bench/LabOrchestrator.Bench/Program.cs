using LabOrchestrator.Bench;

// Usage: dotnet run -c Release --project bench/LabOrchestrator.Bench -- [cold-start] [--rounds N]
var rounds = 7;
for (var i = 0; i < args.Length; i++)
{
    if (args[i] == "--rounds" && i + 1 < args.Length && int.TryParse(args[i + 1], out var n) && n > 0)
    {
        rounds = n;
    }
}

return await ColdStartBenchmark.RunAsync(rounds, Console.Out, CancellationToken.None);
