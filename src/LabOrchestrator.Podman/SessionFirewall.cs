using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace LabOrchestrator.Podman;

/// <summary>
/// Keeps sessions' networks apart with rules of the engine's own, independent of netavark.
/// netavark 1.4 (Debian 12) deletes the one FORWARD jump that isolates every network whenever the last container
/// of any isolated network goes (reproduced on the development machines), which would let sessions reach each
/// other after any other session stops. Rules in the mangle table, which netavark never touches, close that:
/// every session bridge is named <c>lab…</c> (<see cref="PodmanNames.Bridge"/>), frames switched within one bridge
/// pass, and anything routed from one lab bridge to another is dropped. The rules are static, so they need no
/// clean-up per session. They need rootful Podman and iptables; without them netavark's own isolation is all there is.
/// A third rule keeps switched frames out of NAT: with br_netfilter loaded they pass the nat table, where netavark
/// masquerades everything leaving a network's subnet, so a packet that a router node forwards to another node of
/// the same network would reach it with the bridge's address as its source and its reply would never come back.
/// </summary>
internal sealed class SessionFirewall(ILogger logger)
{
    public const string Chain = "LAB-ORCHESTRATOR-ISOLATION";
    private static readonly string[][] Rules =
    [
        ["-i", PodmanNames.BridgePrefix + "+", "-o", PodmanNames.BridgePrefix + "+", "-m", "physdev", "--physdev-is-bridged", "-j", "RETURN"],
        ["-i", PodmanNames.BridgePrefix + "+", "-o", PodmanNames.BridgePrefix + "+", "-j", "DROP"],
    ];

    private static readonly string[] SwitchedWithoutNat =
        ["-o", PodmanNames.BridgePrefix + "+", "-m", "physdev", "--physdev-is-bridged", "-j", "ACCEPT"];

    private bool warned;

    public async Task EnsureAsync(CancellationToken cancellationToken)
    {
        if (Environment.UserName != "root" || ExecutableLookup.Find("iptables") is not { } iptables)
        {
            if (!warned)
            {
                warned = true;
                PodmanLog.FirewallUnavailable(logger);
            }

            return;
        }

        if (await RunAsync(iptables, ["-w", "-t", "mangle", "-L", Chain, "-n"], cancellationToken).ConfigureAwait(false) != 0)
        {
            await CheckedAsync(iptables, ["-w", "-t", "mangle", "-N", Chain], cancellationToken).ConfigureAwait(false);
        }

        foreach (var rule in Rules)
        {
            if (await RunAsync(iptables, ["-w", "-t", "mangle", "-C", Chain, .. rule], cancellationToken).ConfigureAwait(false) != 0)
            {
                await CheckedAsync(iptables, ["-w", "-t", "mangle", "-A", Chain, .. rule], cancellationToken).ConfigureAwait(false);
            }
        }

        if (await RunAsync(iptables, ["-w", "-t", "mangle", "-C", "FORWARD", "-j", Chain], cancellationToken).ConfigureAwait(false) != 0)
        {
            await CheckedAsync(iptables, ["-w", "-t", "mangle", "-I", "FORWARD", "1", "-j", Chain], cancellationToken).ConfigureAwait(false);
            PodmanLog.FirewallInstalled(logger, Chain);
        }

        if (await RunAsync(iptables, ["-w", "-t", "nat", "-C", "POSTROUTING", .. SwitchedWithoutNat], cancellationToken).ConfigureAwait(false) != 0)
        {
            // First, ahead of netavark's masquerading rules.
            await CheckedAsync(iptables, ["-w", "-t", "nat", "-I", "POSTROUTING", "1", .. SwitchedWithoutNat], cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task CheckedAsync(string program, string[] args, CancellationToken cancellationToken)
    {
        if (await RunAsync(program, args, cancellationToken).ConfigureAwait(false) is var code and not 0)
        {
            // Refuse to run sessions that could reach each other.
            throw new Engines.EngineException($"Could not install the rules that isolate sessions (iptables {string.Join(' ', args)} exited with {code}).");
        }
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
