using System.Diagnostics;
using System.Globalization;
using System.Net;
using LabOrchestrator.Sessions;
using Yarp.ReverseProxy.Forwarder;

namespace LabOrchestrator.Server.Gateway;

/// <summary>
/// The one HTTP client web-port requests are forwarded with: no proxy, no redirects, no cookies, no decompression. It
/// never resolves or dials an address itself: each connection is a stream the engine opens to the node's port
/// (<see cref="ISessionService.OpenPortStreamAsync"/>), named by a destination the gateway makes with
/// <see cref="Destination"/> after it has authorised the request.
/// </summary>
internal sealed class WebPortClient : IDisposable
{
    private const string Suffix = ".node.invalid";

    public WebPortClient(ISessionService sessions)
    {
        Invoker = new(new SocketsHttpHandler
        {
            UseProxy = false,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            UseCookies = false,
            EnableMultipleHttp2Connections = true,
            ActivityHeadersPropagator = new ReverseProxyPropagator(DistributedContextPropagator.Current),
            ConnectTimeout = TimeSpan.FromSeconds(10),
            ConnectCallback = async (context, cancellationToken) =>
            {
                var (sessionId, node) = Parse(context.DnsEndPoint.Host);
                return await sessions.OpenPortStreamAsync(sessionId, node, context.DnsEndPoint.Port, cancellationToken)
                    ?? throw new PortNotOfferedException(node, context.DnsEndPoint.Port);
            },
        });
    }

    public HttpMessageInvoker Invoker { get; }

    /// <summary>The forwarder's destination for a node's port: a name only this client understands, never dialled.</summary>
    public static string Destination(string sessionId, string node, int port) =>
        $"http://{sessionId}.{node}{Suffix}:{port.ToString(CultureInfo.InvariantCulture)}";

    private static (string SessionId, string Node) Parse(string host)
    {
        var dot = host.IndexOf('.', StringComparison.Ordinal);
        if (dot <= 0 || !host.EndsWith(Suffix, StringComparison.OrdinalIgnoreCase) || host.Length - Suffix.Length <= dot + 1)
        {
            throw new InvalidOperationException($"'{host}' is not a web-port destination.");
        }

        return (host[..dot], host[(dot + 1)..^Suffix.Length]);
    }

    public void Dispose() => Invoker.Dispose();
}

/// <summary>The node does not offer the port (the engine found no such port), seen through the forwarder's error.</summary>
internal sealed class PortNotOfferedException(string node, int port)
    : Exception($"Node '{node}' does not publish port {port.ToString(CultureInfo.InvariantCulture)}; ask the lab's author to list it under access.http.");
