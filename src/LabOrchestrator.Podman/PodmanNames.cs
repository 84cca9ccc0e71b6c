using LabOrchestrator.Compilation;

namespace LabOrchestrator.Podman;

/// <summary>Podman object names. Pod and network names are global in Podman, so each carries the session id.</summary>
internal static class PodmanNames
{
    /// <summary>The lab network name used for nodes that join no lab network.</summary>
    public const string DefaultNetwork = "default";

    /// <summary>Every session bridge's name starts with this, so one firewall rule covers them all (see <see cref="SessionFirewall"/>).</summary>
    public const string BridgePrefix = "lab";

    /// <summary>
    /// Bridges of sessions whose lab allows <c>egress: internet</c> start with this instead; hex digits never hold an
    /// 'i', so static firewall rules tell the two kinds apart by name alone.
    /// </summary>
    public const string InternetBridgePrefix = BridgePrefix + "i";

    /// <summary>The bridge of one lab network of one session: Linux allows 15 characters, so a hash stands for both names.</summary>
    public static string Bridge(string sessionId, string network, Labs.EgressPolicy egress = Labs.EgressPolicy.None)
    {
        var hash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes($"{sessionId}/{network}")));
        return egress == Labs.EgressPolicy.Internet ? InternetBridgePrefix + hash[..11] : BridgePrefix + hash[..12];
    }

    public static string Pod(string sessionId, string node) => $"lo-{sessionId}-{node}";

    public static string Network(string sessionId, string network) => $"lo-{sessionId}-{network}";

    /// <summary>The image volume holding a VM node's containerDisk.</summary>
    public static string DiskVolume(string sessionId, string node) => $"{Pod(sessionId, node)}-disk";

    /// <summary>kube play names a pod's container "{pod}-{container}".</summary>
    public static string NodeContainer(string sessionId, string node) => $"{Pod(sessionId, node)}-{LabCompiler.ContainerName}";
}
