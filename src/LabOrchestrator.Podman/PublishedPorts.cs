using System.Globalization;
using System.Net;
using System.Text.Json;

namespace LabOrchestrator.Podman;

/// <summary>
/// Finds where this host reaches a node's web port: the node's own address on its bridge (rootful Podman, see
/// <see cref="PodAdapter"/>), or the loopback address and port Podman published it on (rootless Podman).
/// </summary>
internal static class PublishedPorts
{
    public static async Task<IPEndPoint?> FindAsync(PodmanApiClient api, string container, int port, CancellationToken cancellationToken)
    {
        var inspect = await api.GetAsync($"containers/{Uri.EscapeDataString(container)}/json", cancellationToken).ConfigureAwait(false);
        return inspect is { } json ? OnNodeAddress(json, port) ?? Parse(json, port) : null;
    }

    /// <summary>The node's first address, when the container's web-ports annotation lists the port.</summary>
    internal static IPEndPoint? OnNodeAddress(JsonElement inspect, int port)
    {
        if (!inspect.TryGetProperty("Config", out var config) || !config.TryGetProperty("Annotations", out var annotations)
            || annotations.ValueKind != JsonValueKind.Object || !annotations.TryGetProperty(PodAdapter.WebPortsAnnotation, out var ports)
            || !(ports.GetString() ?? "").Split(',').Contains(port.ToString(CultureInfo.InvariantCulture)))
        {
            return null;
        }

        if (!inspect.TryGetProperty("NetworkSettings", out var settings) || !settings.TryGetProperty("Networks", out var networks)
            || networks.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        foreach (var network in networks.EnumerateObject())
        {
            if (network.Value.TryGetProperty("IPAddress", out var ip) && IPAddress.TryParse(ip.GetString(), out var address))
            {
                return new IPEndPoint(address, port);
            }
        }

        return null;
    }

    /// <summary>The first binding of <c>PORT/tcp</c> in a container inspect document's <c>NetworkSettings.Ports</c>.</summary>
    internal static IPEndPoint? Parse(JsonElement inspect, int port)
    {
        if (!inspect.TryGetProperty("NetworkSettings", out var settings) || !settings.TryGetProperty("Ports", out var ports)
            || ports.ValueKind != JsonValueKind.Object || !ports.TryGetProperty($"{port.ToString(CultureInfo.InvariantCulture)}/tcp", out var bindings)
            || bindings.ValueKind != JsonValueKind.Array)
        {
            return null;
        }

        foreach (var binding in bindings.EnumerateArray())
        {
            var hostIp = binding.TryGetProperty("HostIp", out var ip) ? ip.GetString() : null;
            var hostPort = binding.TryGetProperty("HostPort", out var p) ? p.GetString() : null;
            if (int.TryParse(hostPort, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number is > 0 and <= 65535)
            {
                var address = string.IsNullOrEmpty(hostIp) || hostIp == "0.0.0.0" ? IPAddress.Loopback : IPAddress.Parse(hostIp);
                return new IPEndPoint(address, number);
            }
        }

        return null;
    }
}
