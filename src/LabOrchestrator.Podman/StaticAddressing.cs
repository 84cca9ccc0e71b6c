using System.Net;
using System.Net.Sockets;

namespace LabOrchestrator.Podman;

/// <summary>
/// Gives nodes fixed addresses so that /etc/hosts entries (node name → address) can be written before any pod exists,
/// and so that a re-applied session gets the same addresses.
/// </summary>
internal static class StaticAddressing
{
    /// <summary>Addresses below this offset from the gateway are left to Podman.</summary>
    public const int FirstOffset = 10;

    public static string AddressFor(string subnet, string gateway, int nodeIndex)
    {
        var parts = subnet.Split('/');
        var network = IPAddress.Parse(parts[0]);
        var prefix = int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture);
        if (network.AddressFamily != AddressFamily.InterNetwork)
        {
            throw new Engines.EngineException($"The Podman network with subnet {subnet} is not IPv4; the Podman engine needs an IPv4 subnet.");
        }

        var size = 1L << (32 - prefix);
        var start = ToNumber(network);
        var address = ToNumber(IPAddress.Parse(gateway)) + FirstOffset + nodeIndex;
        // Keep clear of the broadcast address.
        if (address >= start + size - 1)
        {
            throw new Engines.EngineException($"The subnet {subnet} has no room for node number {nodeIndex + 1}; use fewer nodes per network.");
        }

        return FromNumber(address).ToString();
    }

    private static long ToNumber(IPAddress address)
    {
        var bytes = address.GetAddressBytes();
        return ((long)bytes[0] << 24) | ((long)bytes[1] << 16) | ((long)bytes[2] << 8) | bytes[3];
    }

    private static IPAddress FromNumber(long value) =>
        new([(byte)(value >> 24), (byte)(value >> 16), (byte)(value >> 8), (byte)value]);
}
