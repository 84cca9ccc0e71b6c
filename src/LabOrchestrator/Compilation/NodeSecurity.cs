using k8s.Models;

namespace LabOrchestrator.Compilation;

/// <summary>
/// What a node's container may do to the kernel it shares with the host and other sessions: every capability is
/// dropped and only <see cref="BaseCapabilities"/> plus what the lab asks for are added back, the runtime's seccomp
/// profile stays on (on Kubernetes it refuses user namespaces; the Podman engine brings its own that does), and
/// unprivileged ICMP sockets let <c>ping</c> work without NET_RAW.
/// </summary>
public static class NodeSecurity
{
    /// <summary>
    /// What an ordinary Linux system needs as root: file ownership and permissions (CHOWN, DAC_OVERRIDE, FOWNER,
    /// FSETID), signals (KILL), changing users (SETUID, SETGID, SETPCAP: sudo, su, login, daemons dropping rights),
    /// ports below 1024 (NET_BIND_SERVICE) and chroot (SYS_CHROOT). Left out of what container runtimes give by
    /// default: NET_RAW (raw and packet sockets: spoofing, sniffing the bridge; only when the lab asks), MKNOD
    /// (device nodes), AUDIT_WRITE (the host's audit log) and SETFCAP (file capabilities).
    /// </summary>
    public static readonly IReadOnlyList<string> BaseCapabilities =
        ["CHOWN", "DAC_OVERRIDE", "FOWNER", "FSETID", "KILL", "SETGID", "SETUID", "SETPCAP", "NET_BIND_SERVICE", "SYS_CHROOT"];

    /// <summary>Every group may open ICMP echo sockets, which send nothing but pings, so <c>ping</c> needs no NET_RAW.</summary>
    public const string PingGroupRangeSysctl = "net.ipv4.ping_group_range";

    /// <inheritdoc cref="PingGroupRangeSysctl"/>
    public const string PingGroupRange = "0 2147483647";

    /// <summary>
    /// The container's security context: the base set plus <paramref name="added"/>, nothing else. A node allowed user
    /// namespaces also gets SETFCAP, without which root cannot map itself to root in one (Linux 5.12 and later).
    /// </summary>
    public static V1SecurityContext Container(IEnumerable<string> added, bool allowUserNamespaces) => new()
    {
        Privileged = false,
        Capabilities = new V1Capabilities
        {
            Drop = ["ALL"],
            Add = BaseCapabilities.Concat(added).Concat(allowUserNamespaces ? ["SETFCAP"] : []).Distinct(StringComparer.Ordinal).ToList(),
        },
        // The runtime's default profile refuses user namespaces to processes without CAP_SYS_ADMIN (containerd, CRI-O);
        // a lab that asks for them is left to the cluster's default.
        SeccompProfile = allowUserNamespaces ? null : new V1SeccompProfile { Type = "RuntimeDefault" },
    };

    /// <summary>The pod's security context: pod-wide kernel settings.</summary>
    public static V1PodSecurityContext Pod() => new()
    {
        Sysctls = [new V1Sysctl { Name = PingGroupRangeSysctl, Value = PingGroupRange }],
    };
}
