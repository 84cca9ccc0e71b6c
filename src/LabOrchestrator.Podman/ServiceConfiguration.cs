using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using LabOrchestrator.Compilation;
using Microsoft.Extensions.Logging;

namespace LabOrchestrator.Podman;

/// <summary>
/// The containers.conf (and seccomp profiles) of the engine's own Podman service: what this machine needs to run
/// containers at all, and what every node gets whatever its lab says — a pids limit, unprivileged ping, and a seccomp
/// profile that refuses user namespaces. All files are named by their content's hash, and so is the service's socket,
/// so a running service always has exactly this configuration.
/// </summary>
internal sealed class ServiceConfiguration
{
    private readonly string folder;
    private readonly string conf;
    private readonly IReadOnlyList<(string Name, string Text)> profiles;

    private ServiceConfiguration(string folder, string conf, IReadOnlyList<(string Name, string Text)> profiles, string? refusing, string? allowing)
    {
        this.folder = folder;
        this.conf = conf;
        this.profiles = profiles;
        RefusingSeccomp = refusing is null ? null : "localhost/" + refusing;
        AllowingSeccomp = allowing is null ? null : "localhost/" + allowing;
        Hash = Short(conf + string.Concat(profiles.Select(p => p.Text)));
    }

    public string Hash { get; }

    /// <inheritdoc cref="PodmanService.RefusingSeccomp"/>
    public string? RefusingSeccomp { get; }

    /// <inheritdoc cref="PodmanService.AllowingSeccomp"/>
    public string? AllowingSeccomp { get; }

    /// <summary>The text of the containers.conf.</summary>
    public string Text => conf;

    public static ServiceConfiguration Create(string folder, PodmanEngineOptions options, ILogger logger)
    {
        var profiles = new List<(string, string)>();
        string? refusing = null;
        string? allowing = null;
        if (SeccompProfiles.ReadDefault() is { } original)
        {
            var refused = SeccompProfiles.RefuseUserNamespaces(original);
            refusing = $"seccomp-{Short(refused)}.json";
            allowing = $"seccomp-userns-{Short(original)}.json";
            profiles.Add((refusing, refused));
            profiles.Add((allowing, original));
        }
        else
        {
            PodmanLog.SeccompProfileMissing(logger, string.Join(", ", SeccompProfiles.DefaultPaths));
        }

        return new ServiceConfiguration(folder, ContainersConf(options.PidsLimit, refusing is null ? null : Path.Combine(folder, refusing)), profiles, refusing, allowing);
    }

    /// <summary><paramref name="basePath"/> with this configuration's hash before its extension: podman.sock → podman-1a2b3c4d.sock.</summary>
    public string SocketPath(string basePath)
    {
        var full = Path.GetFullPath(basePath);
        var name = Path.GetFileNameWithoutExtension(full) + "-" + Hash + Path.GetExtension(full);
        return Path.Combine(Path.GetDirectoryName(full)!, name);
    }

    /// <summary>Writes the profiles and the containers.conf; returns the containers.conf's path.</summary>
    public async Task<string> WriteAsync(CancellationToken cancellationToken)
    {
        foreach (var (name, text) in profiles)
        {
            await File.WriteAllTextAsync(Path.Combine(folder, name), text, cancellationToken).ConfigureAwait(false);
        }

        var path = Path.Combine(folder, $"containers-{Hash}.conf");
        await File.WriteAllTextAsync(path, conf, cancellationToken).ConfigureAwait(false);
        return path;
    }

    /// <summary>The ulimits containers get (name, its line in /proc/self/limits, value): at or below the hard limits, or every container fails.</summary>
    internal static readonly (string Name, string Label, long Value)[] DefaultUlimits =
        [("nofile", "Max open files", 1024), ("nproc", "Max processes", 4096)];

    /// <summary>
    /// Ulimits under this machine's hard limits and runc where crun cannot run (cgroups hybrid mode); the pids limit
    /// (kube play has no field for it); ICMP echo sockets for every group, so ping works without NET_RAW (Podman's
    /// default allows group 0 only); the seccomp profile refusing user namespaces; and netavark whenever it is
    /// installed (Podman would stay on CNI on a host that used CNI before, where VM nodes' networking fails).
    /// </summary>
    internal static string ContainersConf(int pidsLimit, string? seccompProfile)
    {
        var ulimits = string.Join(", ", DefaultUlimits.Select(u => $"\"{u.Name}={u.Value}:{u.Value}\""));
        var text = new StringBuilder("[containers]\n")
            .Append(CultureInfo.InvariantCulture, $"default_ulimits = [{ulimits}]\n")
            .Append(CultureInfo.InvariantCulture, $"default_sysctls = [\"{NodeSecurity.PingGroupRangeSysctl}={NodeSecurity.PingGroupRange}\"]\n")
            .Append(CultureInfo.InvariantCulture, $"pids_limit = {pidsLimit}\n");
        if (seccompProfile is not null)
        {
            text.Append(CultureInfo.InvariantCulture, $"seccomp_profile = \"{seccompProfile}\"\n");
        }

        if (PodmanHelpers.Find("netavark") is not null)
        {
            text.Append("[network]\nnetwork_backend = \"netavark\"\n");
        }

        // Podman removes an ended exec session this long after it ended (default 300 s): long enough to read its exit
        // code, short enough that closed terminals leave no exec session behind for minutes.
        text.Append(CultureInfo.InvariantCulture, $"[engine]\nexit_command_delay = {ExitCommandDelaySeconds}\n");
        if (ExecutableLookup.Find("runc") is not null)
        {
            text.Append("runtime = \"runc\"\n");
        }

        return text.ToString();
    }

    /// <summary>Seconds Podman keeps an ended exec session (containers.conf exit_command_delay).</summary>
    internal const int ExitCommandDelaySeconds = 30;

    private static string Short(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..12];
}
