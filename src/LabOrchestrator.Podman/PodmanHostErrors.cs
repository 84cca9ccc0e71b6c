namespace LabOrchestrator.Podman;

/// <summary>
/// Recognises Podman errors whose cause is the host (what labctl doctor checks), and names the fix, so that a session
/// failing for such a reason says so: learners read that the server is at fault, admins read what to do.
/// </summary>
internal static class PodmanHostErrors
{
    private static readonly (string[] AllOf, string Fix)[] Known =
    [
        (["catatonit"], "install catatonit (apt-get install -y catatonit; scripts/setup.sh does), then start the session again"),
        (["pause binary"], "install catatonit (apt-get install -y catatonit; scripts/setup.sh does), then start the session again"),
        (["setrlimit"], "containers ask for more open files or processes than the host allows: raise the hard limits (ulimit -Hn/-Hu) of the server's user, or lower default_ulimits"),
        (["cgroups in hybrid mode"], "crun cannot run here: install runc (apt-get install -y runc); the engine uses it when present"),
        (["runc", "executable file not found"], "install runc (apt-get install -y runc)"),
        (["oci runtime", "not found"], "install runc (apt-get install -y runc)"),
        (["netavark"], "install netavark and aardvark-dns (apt-get install -y netavark aardvark-dns)"),
        (["aardvark-dns"], "install aardvark-dns (apt-get install -y aardvark-dns)"),
        (["no space left on device"], "free disk space where Podman keeps images and containers (podman system prune)"),
        (["pinging container registry"], "the lab's image is not on this host and no registry is reachable: build it (images/build*.sh, scripts/setup.sh) or podman pull it"),
        (["image not known"], "the lab's image is not on this host: build it (images/build*.sh, scripts/setup.sh) or podman pull it"),
        (["initializing source"], "the lab's image is not on this host and could not be pulled: build it (images/build*.sh) or podman pull it"),
        (["could not install the rules that isolate sessions"], "install iptables (apt-get install -y iptables) and run the server as root"),
        (["lost the podman service"], "the engine's Podman service went away: labctl doctor shows why; the next session starts it again"),
        (["nothing answers on the podman socket"], "start the Podman service named in the message, or leave Podman:SocketPath empty"),
        (["the podman engine needs podman"], "install Podman: scripts/setup.sh"),
    ];

    /// <summary>
    /// What an admin must do when <paramref name="message"/> is a host problem; null when it is not one. A stopped node's
    /// own log lines (<see cref="SessionApplier"/> appends them) are the lab's words, not Podman's, and never count.
    /// </summary>
    public static string? FixFor(string message)
    {
        var podmans = message.Split(SessionApplier.LogLinesMarker)[0];
        return Known.FirstOrDefault(k => k.AllOf.All(part => podmans.Contains(part, StringComparison.OrdinalIgnoreCase))).Fix;
    }
}
