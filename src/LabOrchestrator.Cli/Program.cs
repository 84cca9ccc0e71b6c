using LabOrchestrator.Cli;

using var interrupted = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    // The first Ctrl-C asks the running command to stop cleanly; a second one ends the process at once.
    if (!interrupted.IsCancellationRequested)
    {
        e.Cancel = true;
        interrupted.Cancel();
    }
};

var app = new LabctlApp(LabctlConsole.FromSystemConsole());
return await app.RunAsync(args, interrupted.Token);
