using System.Diagnostics;

namespace LabOrchestrator.Cli.Terminal;

/// <summary>
/// Puts the controlling terminal in raw mode (keys go to the remote shell as typed, Ctrl-C included) and restores the
/// saved settings when disposed, on process exit too, so the user's terminal is never left unusable.
/// </summary>
internal sealed class RawMode : IDisposable
{
    private readonly string saved;
    private int restored;

    private RawMode(string saved)
    {
        this.saved = saved;
        AppDomain.CurrentDomain.ProcessExit += OnProcessExit;
    }

    public static async Task<RawMode> EnterAsync(CancellationToken cancellationToken)
    {
        var saved = (await SttyAsync("-g", cancellationToken)).Trim();
        var mode = new RawMode(saved);
        try
        {
            await SttyAsync("raw -echo", cancellationToken);
            return mode;
        }
        catch
        {
            mode.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref restored, 1) != 0)
        {
            return;
        }

        AppDomain.CurrentDomain.ProcessExit -= OnProcessExit;
        // Synchronous and not cancellable on purpose: this runs in finally blocks and at process exit.
        SttyAsync(saved, CancellationToken.None).GetAwaiter().GetResult();
    }

    private void OnProcessExit(object? sender, EventArgs e) => Dispose();

    private static async Task<string> SttyAsync(string arguments, CancellationToken cancellationToken)
    {
        // stty acts on its standard input, so it is pointed at the terminal itself rather than at ours.
        var start = new ProcessStartInfo("/bin/sh")
        {
            ArgumentList = { "-c", $"stty {arguments} < /dev/tty" },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(start) ?? throw new InvalidOperationException("Could not run stty to set up the terminal.");
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"stty {arguments} failed: {(await error).Trim()}");
        }

        return await output;
    }
}
