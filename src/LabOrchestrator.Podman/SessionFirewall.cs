using Microsoft.Extensions.Logging;

namespace LabOrchestrator.Podman;

/// <summary>
/// Host firewall rules of the engine's own that keep nodes away from the host, from other sessions and (unless the lab
/// allows <c>egress: internet</c>) from everything beyond their lab networks. They live in the mangle table, which
/// netavark never touches: netavark 1.4 (Debian 12) deletes the FORWARD jump that isolates its networks whenever the last
/// container of any isolated network goes, and it inserts its own rules into the filter table's chains ahead of others.
/// Every session bridge is named <c>lab…</c> (<see cref="PodmanNames.Bridge"/>), so the rules are static (no clean-up
/// per session) and match by name: <see cref="SessionFirewallRules"/> lists them and says why each is there.
/// Each chain is replaced whole and at once (<c>iptables-restore --noflush</c>), so an older engine's rules never
/// linger and no packet ever passes a half-written chain. They need rootful Podman and iptables; without them
/// netavark's own isolation is all there is, and the engine says so in its log.
/// </summary>
internal sealed class SessionFirewall(ILogger logger)
{
    // One install at a time in this process (two at once would both find a jump missing and add it twice), and starts
    // that ask while one runs share the next: a class of twenty starting together runs the iptables commands about twice,
    // not twenty times one after another, and each start still waits for an install that began after it asked.
    private static readonly SharedRun Installs = new();
    private bool warned;
    private bool installed;

    /// <summary>Whether this process can install the rules: root with iptables.</summary>
    public static bool Available => RootfulPodman.IsRootful && ExecutableLookup.Find("iptables") is not null;

    public async Task EnsureAsync(CancellationToken cancellationToken)
    {
        if (!Available || ExecutableLookup.Find("iptables-restore") is not { } restore)
        {
            if (!warned)
            {
                warned = true;
                PodmanLog.FirewallUnavailable(logger);
            }

            return;
        }

        var iptables = ExecutableLookup.Find("iptables")!;
        var ip6 = ExecutableLookup.Find("ip6tables");
        var restore6 = ExecutableLookup.Find("ip6tables-restore");
        await Installs.RunAsync(async () =>
        {
            await InstallAsync(iptables, restore, SessionFirewallRules.IPv4, CancellationToken.None).ConfigureAwait(false);
            if (ip6 is not null && restore6 is not null)
            {
                await InstallAsync(ip6, restore6, SessionFirewallRules.IPv6, CancellationToken.None).ConfigureAwait(false);
            }
        }).WaitAsync(cancellationToken).ConfigureAwait(false);

        if ((ip6 is null || restore6 is null) && !warned)
        {
            // Bridges still get IPv6 switched off (BridgeSettings), which keeps the host's own IPv6 stack out of reach.
            warned = true;
            PodmanLog.FirewallUnavailable(logger);
        }

        if (!installed)
        {
            installed = true;
            PodmanLog.FirewallInstalled(logger, SessionFirewallRules.ForwardChain);
        }
    }

    private static async Task InstallAsync(string iptables, string restore, SessionFirewallRules.Family family, CancellationToken cancellationToken)
    {
        // The chains first (replaced whole), then the jumps to them, so a jump never points at a chain being written.
        var code = await RunAsync(restore, ["-w", "--noflush"], family.RestoreScript(), cancellationToken).ConfigureAwait(false);
        if (code != 0)
        {
            // Refuse to run sessions that could reach the host or each other.
            throw new Engines.EngineException($"Could not install the rules that isolate sessions ({Path.GetFileName(restore)} --noflush exited with {code}).");
        }

        foreach (var (table, builtin, rule, first) in family.Jumps)
        {
            if (await RunAsync(iptables, ["-w", "-t", table, "-C", builtin, .. rule], null, cancellationToken).ConfigureAwait(false) == 0)
            {
                continue;
            }

            string[] insert = first ? ["-w", "-t", table, "-I", builtin, "1", .. rule] : ["-w", "-t", table, "-A", builtin, .. rule];
            if (await RunAsync(iptables, insert, null, cancellationToken).ConfigureAwait(false) is var failed and not 0)
            {
                throw new Engines.EngineException($"Could not install the rules that isolate sessions ({Path.GetFileName(iptables)} {string.Join(' ', insert)} exited with {failed}).");
            }
        }
    }

    private static async Task<int> RunAsync(string program, string[] args, string? input, CancellationToken cancellationToken) =>
        (await HostCommand.RunAsync(program, args, cancellationToken, input).ConfigureAwait(false)).ExitCode;
}
