using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace LabOrchestrator.Podman;

/// <summary>
/// Works around netavark 1.4 (Debian 12): tearing down the last container of any isolated network deletes the one
/// <c>FORWARD -j NETAVARK_ISOLATION_1</c> jump that isolates every other network too, so after one session is deleted
/// the others can reach each other. Measured on this machine; later netavark releases keep the jump.
/// The engine puts the jump back (first in FORWARD, so it runs before netavark's accept rules) after each apply and
/// delete. Only possible with rootful Podman and iptables; otherwise nothing is done.
/// </summary>
internal sealed class NetavarkIsolationRepair(ILogger logger)
{
    private const string Chain = "NETAVARK_ISOLATION_1";

    public async Task EnsureAsync(CancellationToken cancellationToken)
    {
        if (Environment.UserName != "root" || ExecutableLookup.Find("iptables") is not { } iptables)
        {
            return;
        }

        // No chain: no isolated network has run yet, so there is nothing to protect.
        if (await RunAsync(iptables, ["-w", "-n", "-L", Chain], cancellationToken).ConfigureAwait(false) != 0)
        {
            return;
        }

        if (await RunAsync(iptables, ["-w", "-C", "FORWARD", "-j", Chain], cancellationToken).ConfigureAwait(false) == 0)
        {
            return;
        }

        var code = await RunAsync(iptables, ["-w", "-I", "FORWARD", "1", "-j", Chain], cancellationToken).ConfigureAwait(false);
        PodmanLog.IsolationRepaired(logger, code);
    }

    private static async Task<int> RunAsync(string program, string[] args, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(program) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        await Task.WhenAll(output, error).ConfigureAwait(false);
        return process.ExitCode;
    }
}
