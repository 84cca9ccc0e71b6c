using System.Text.Json;
using System.Text.RegularExpressions;
using LabOrchestrator.Doctor;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LabOrchestrator.Podman;

/// <summary>
/// What the Podman engine needs of this host (labctl doctor; labctl serve before serving). Each check names the fix;
/// the package names are those scripts/setup.sh installs, which on a fresh Debian machine without apt's Recommends
/// is the only way they get there.
/// </summary>
internal sealed partial class PodmanHostChecks(IOptions<PodmanEngineOptions> options, PodmanUse use, ILogger<PodmanHostChecks> logger, TimeProvider time) : IHostCheckSource
{
    private static readonly Version MinimumPodman = new(4, 3);
    private readonly PodmanEngineOptions settings = options.Value;

    public string Name => "podman";

    public async Task<IReadOnlyList<HostCheck>> CheckAsync(CancellationToken cancellationToken)
    {
        if (!use.IsUsed)
        {
            return [HostCheck.Ok("podman", $"not used: Engine:Default is '{use.OtherDefault}' and Podman is not installed here")];
        }

        var checks = new List<HostCheck>();
        var podman = ExecutableLookup.Find(settings.PodmanPath);
        checks.Add(await PodmanVersionAsync(podman, cancellationToken).ConfigureAwait(false));
        checks.Add(Runtime());
        checks.Add(Helper("catatonit", "the pause process every `play kube` pod needs", "catatonit"));
        checks.Add(Helper("netavark", "Podman's network backend", "netavark aardvark-dns"));
        checks.Add(Helper("aardvark-dns", "name resolution on session networks", "aardvark-dns"));
        checks.Add(await FirewallAsync(cancellationToken).ConfigureAwait(false));
        checks.Add(Ulimits());
        checks.Add(Kvm());
        if (podman is null)
        {
            return checks;
        }

        var info = await ApiAsync(checks, cancellationToken).ConfigureAwait(false);
        if (info is not { } host)
        {
            return checks;
        }

        var backend = Text(host, "host", "networkBackend");
        checks.Add(backend == "netavark"
            ? HostCheck.Ok("network backend", "netavark")
            : HostCheck.Failed("network backend", $"'{backend}': without netavark, VM nodes' ARP across the session bridge goes unanswered", "apt-get install -y netavark aardvark-dns, then restart the engine's Podman service (pkill -f 'podman system service'; labctl starts it again)"));
        var graphRoot = Text(host, "store", "graphRoot") ?? "/var/lib/containers/storage";
        checks.Add(DiskSpace.Check("image storage disk", graphRoot));
        return checks;
    }

    private async Task<HostCheck> PodmanVersionAsync(string? podman, CancellationToken cancellationToken)
    {
        if (podman is null)
        {
            return HostCheck.Failed("podman", $"'{settings.PodmanPath}' is not on PATH", "run scripts/setup.sh, or apt-get install -y --no-install-recommends podman runc catatonit netavark aardvark-dns containernetworking-plugins uidmap slirp4netns iptables");
        }

        var result = await HostCommand.RunAsync(podman, ["--version"], cancellationToken).ConfigureAwait(false);
        var match = VersionPattern().Match(result.Output);
        if (result.ExitCode != 0 || !match.Success || !Version.TryParse(match.Groups[1].Value, out var version))
        {
            return HostCheck.Failed("podman", $"'{podman} --version' failed: {(result.Error + result.Output).Trim()}", "reinstall it: apt-get install --reinstall -y podman");
        }

        return version >= MinimumPodman
            ? HostCheck.Ok("podman", $"{version} ({podman})")
            : HostCheck.Failed("podman", $"{version} is older than {MinimumPodman}", "install Podman 4.3 or newer (Debian 12: apt-get install -y podman)");
    }

    private static HostCheck Runtime()
    {
        if (ExecutableLookup.Find("runc") is { } runc)
        {
            return HostCheck.Ok("OCI runtime", $"runc ({runc})");
        }

        // crun cannot run containers on hosts with hybrid cgroups (no unified hierarchy at /sys/fs/cgroup).
        var unified = File.Exists("/sys/fs/cgroup/cgroup.controllers");
        return ExecutableLookup.Find("crun") is { } crun && unified
            ? HostCheck.Ok("OCI runtime", $"crun ({crun})")
            : HostCheck.Failed("OCI runtime", unified ? "neither runc nor crun is installed" : "runc is not installed, and crun fails on this host's hybrid cgroups", "apt-get install -y runc");
    }

    private static HostCheck Helper(string program, string purpose, string packages) =>
        PodmanHelpers.Find(program) is { } path
            ? HostCheck.Ok(program, path)
            : HostCheck.Failed(program, $"not found: {purpose}", $"apt-get install -y {packages}");

    private static async Task<HostCheck> FirewallAsync(CancellationToken cancellationToken)
    {
        if (Environment.UserName != "root")
        {
            return HostCheck.Warning("iptables", "not root: the engine cannot add its session firewall; netavark's isolation is all there is", "run the server as root for the session firewall");
        }

        if (ExecutableLookup.Find("iptables") is not { } iptables)
        {
            return HostCheck.Failed("iptables", "not found: the session firewall (isolation between sessions and from the host) needs it", "apt-get install -y iptables");
        }

        var result = await HostCommand.RunAsync(iptables, ["-w", "-t", "mangle", "-L", "-n"], cancellationToken).ConfigureAwait(false);
        return result.ExitCode == 0
            ? HostCheck.Ok("iptables", $"{iptables} works (session firewall)")
            : HostCheck.Failed("iptables", $"'iptables -t mangle -L' failed: {result.Error.Trim()}", "load the kernel's netfilter modules (modprobe ip_tables iptable_mangle iptable_nat), or install iptables");
    }

    /// <summary>The engine's containers.conf asks containers for these; above the hard limits every container fails.</summary>
    private static HostCheck Ulimits()
    {
        var wanted = ServiceConfiguration.DefaultUlimits;
        var limits = File.Exists("/proc/self/limits") ? File.ReadAllLines("/proc/self/limits") : [];
        var problems = new List<string>();
        foreach (var (name, label, value) in wanted)
        {
            var line = limits.FirstOrDefault(l => l.StartsWith(label, StringComparison.Ordinal));
            var fields = line?[label.Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields is { Length: >= 2 } && fields[1] != "unlimited" && long.TryParse(fields[1], out var hard) && hard < value)
            {
                problems.Add($"{name} {value} is above the hard limit {hard}");
            }
        }

        var asked = string.Join(", ", wanted.Select(w => $"{w.Name}={w.Value}"));
        return problems.Count == 0
            ? HostCheck.Ok("containers.conf ulimits", $"{asked} within the hard limits")
            : HostCheck.Failed("containers.conf ulimits", string.Join("; ", problems), "raise the hard limits of the service's user (/etc/security/limits.conf or LimitNOFILE/LimitNPROC of its unit)");
    }

    private HostCheck Kvm()
    {
        const string device = "/dev/kvm";
        if (!settings.VmUseKvm)
        {
            return HostCheck.Warning("/dev/kvm", "not used (Podman:VmUseKvm is false): VMs use software emulation", "set Podman:VmUseKvm to true on a host with KVM");
        }

        try
        {
            using var kvm = File.Open(device, FileMode.Open, FileAccess.ReadWrite);
            return HostCheck.Ok("/dev/kvm", "usable: VM nodes run with KVM (the launcher still falls back to emulation when KVM fails)");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return HostCheck.Warning("/dev/kvm", $"not usable ({e.Message}): VMs use software emulation, several times slower", "enable virtualisation (or nested virtualisation) for this machine to run VM nodes at full speed");
        }
    }

    private async Task<JsonElement?> ApiAsync(List<HostCheck> checks, CancellationToken cancellationToken)
    {
        string socket;
        try
        {
            socket = (await new PodmanServiceLauncher(settings, logger, time).EnsureAsync(cancellationToken).ConfigureAwait(false)).SocketPath;
        }
        catch (Engines.EngineException e)
        {
            checks.Add(HostCheck.Failed("podman API", e.Message, "fix what the message names; the service's log is next to its socket (podman-service*.log)"));
            return null;
        }

        using var api = new PodmanApiClient(socket);
        var info = await api.GetAsync("info", cancellationToken).ConfigureAwait(false);
        checks.Add(HostCheck.Ok("podman API", $"answers on {socket}"));
        return info;
    }

    private static string? Text(JsonElement root, string section, string field) =>
        root.TryGetProperty(section, out var s) && s.TryGetProperty(field, out var f) && f.ValueKind == JsonValueKind.String ? f.GetString() : null;

    [GeneratedRegex(@"version (\d+\.\d+(\.\d+)?)")]
    private static partial Regex VersionPattern();
}
