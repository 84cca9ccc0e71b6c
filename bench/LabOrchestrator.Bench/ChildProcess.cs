using System.Diagnostics;

namespace LabOrchestrator.Bench;

/// <summary>
/// Runs this benchmark program again as a child process in a client mode, so that load generators neither share
/// the server's thread pool and garbage collector nor count their own start-up (JIT) in what they measure.
/// </summary>
internal static class ChildProcess
{
    /// <summary>Runs <c>LabOrchestrator.Bench ARGS</c> and returns the last line it printed; fails with its error output.</summary>
    public static async Task<string> RunSelfAsync(IReadOnlyList<string> args, IReadOnlyDictionary<string, string> environment, CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo(Environment.ProcessPath!) { RedirectStandardOutput = true, RedirectStandardError = true };
        if (Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet")
        {
            // Started as `dotnet LabOrchestrator.Bench.dll`: the child needs the dll too.
            info.ArgumentList.Add(typeof(ChildProcess).Assembly.Location);
        }

        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        foreach (var (name, value) in environment)
        {
            info.Environment[name] = value;
        }

        using var child = Process.Start(info) ?? throw new InvalidOperationException("The client process did not start.");
        try
        {
            var stdout = child.StandardOutput.ReadToEndAsync(cancellationToken);
            var stderr = child.StandardError.ReadToEndAsync(cancellationToken);
            await child.WaitForExitAsync(cancellationToken);
            if (child.ExitCode != 0)
            {
                throw new InvalidOperationException($"The client process ({args[0]}) failed with {child.ExitCode}: {(await stderr).Trim()}");
            }

            return (await stdout).Trim().Split('\n')[^1];
        }
        finally
        {
            if (!child.HasExited)
            {
                child.Kill(entireProcessTree: true);
            }
        }
    }
}
