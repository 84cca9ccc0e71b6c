using Microsoft.Extensions.Logging;

namespace LabOrchestrator.Podman;

/// <summary>
/// Kernel settings of a session's bridges on the host. netavark switches <c>route_localnet</c> on for a bridge when it
/// publishes a port on 127.0.0.1, which lets packets a node addresses to 127.0.0.1 be routed into the host's loopback
/// services; the engine publishes nothing (<see cref="PodAdapter"/>) and switches it off whoever set it. IPv6 goes off on
/// the host's side of the bridge, so the host has no IPv6 address a node could reach it at. Both need root; without it
/// the engine publishes on loopback (rootless Podman, whose networks are not the host's).
/// </summary>
internal static class BridgeSettings
{
    public static void Harden(IEnumerable<string> bridges, ILogger logger)
    {
        if (!RootfulPodman.IsRootful)
        {
            return;
        }

        foreach (var bridge in bridges)
        {
            if (Set($"/proc/sys/net/ipv4/conf/{bridge}/route_localnet", "0"))
            {
                PodmanLog.RouteLocalnetReset(logger, bridge);
            }

            Set($"/proc/sys/net/ipv6/conf/{bridge}/disable_ipv6", "1");
        }
    }

    /// <summary>Writes the value when the setting exists (the bridge is up) and differs; true when it changed it.</summary>
    private static bool Set(string path, string value)
    {
        try
        {
            if (!File.Exists(path) || File.ReadAllText(path).Trim() == value)
            {
                return false;
            }

            File.WriteAllText(path, value);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new Engines.EngineException($"Could not write {path}, which keeps nodes away from the host: {e.Message}", e);
        }
    }
}
