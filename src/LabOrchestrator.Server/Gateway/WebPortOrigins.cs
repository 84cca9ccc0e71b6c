using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace LabOrchestrator.Server.Gateway;

/// <summary>The session, node and port a web-port origin serves, read from its host name's first label.</summary>
internal sealed record WebPortAddress(string SessionId, string NodeLabel, int Port);

/// <summary>
/// Every web port of every session gets an origin of its own: <c>{session}-{node}-{port}.{PortsHost}</c> on the
/// web-ports listener. The browser then keeps each port's pages, cookies, storage and service workers apart from every
/// other port's and from the main app's. The host is <c>Gateway:PortsHost</c> (or the host of
/// <c>Gateway:PortsPublicUrl</c>, a template such as <c>https://{label}.ports.example.com</c>); unset, it is
/// <c>ports.</c> + the host name the main app was reached at (<c>ports.localhost</c> for an IP address or
/// <c>localhost</c>), since <c>*.localhost</c> resolves to loopback in browsers without DNS.
/// </summary>
internal sealed class WebPortOrigins
{
    public const string LabelPlaceholder = "{label}";
    private const int MaxLabelLength = 63;
    private const string DerivedPrefix = "ports.";
    private readonly string? configuredHost;
    private readonly Uri? template;
    private readonly Func<int> listenerPort;

    private WebPortOrigins(string? configuredHost, Uri? template, Func<int> listenerPort)
    {
        this.configuredHost = configuredHost;
        this.template = template;
        this.listenerPort = listenerPort;
    }

    /// <summary>
    /// Reads <c>Gateway:PortsHost</c> and <c>Gateway:PortsPublicUrl</c>; <paramref name="listenerPort"/> gives the
    /// web-ports listener's port once it is bound.
    /// </summary>
    public static WebPortOrigins FromConfiguration(IConfiguration configuration, Func<int> listenerPort)
    {
        var host = configuration["Gateway:PortsHost"] is { Length: > 0 } h ? h.Trim().TrimEnd('.').ToLowerInvariant() : null;
        if (host is not null && !IsHostName(host))
        {
            throw Invalid($"Gateway:PortsHost: '{host}' is not a DNS name; give the domain whose subdomains serve web ports, e.g. ports.lab.example.com (with a wildcard DNS record *.ports.lab.example.com).");
        }

        Uri? template = null;
        if (configuration["Gateway:PortsPublicUrl"] is { Length: > 0 } url)
        {
            var parsed = Uri.TryCreate(url.Replace(LabelPlaceholder, "label-placeholder", StringComparison.Ordinal), UriKind.Absolute, out var u) ? u : null;
            if (parsed is null || parsed.Scheme is not ("http" or "https") || !parsed.Host.StartsWith("label-placeholder.", StringComparison.Ordinal)
                || parsed.AbsolutePath != "/" || parsed.Query.Length > 0)
            {
                throw Invalid($"Gateway:PortsPublicUrl: '{url}' must be an http(s) URL whose host starts with {LabelPlaceholder}. and that has no path, e.g. https://{LabelPlaceholder}.ports.lab.example.com.");
            }

            var templateHost = parsed.Host["label-placeholder.".Length..];
            if (host is not null && host != templateHost)
            {
                throw Invalid($"Gateway:PortsPublicUrl ({url}) names the host {templateHost}, but Gateway:PortsHost is {host}; set one of them, or the same host in both.");
            }

            host = templateHost;
            template = parsed;
        }

        return new WebPortOrigins(host, template, listenerPort);
    }

    /// <summary>Whether cookies of port origins are marked Secure (and get the <c>__Host-</c> prefix): when the public URL is https.</summary>
    public bool Secure => template?.Scheme == "https";

    /// <summary>
    /// The access cookie's name on port origins. <c>__Host-</c> cookies cannot be set by sibling hosts (a port's page
    /// writing <c>Domain=PortsHost</c>), but need https; over http the gateway relies on checking every value sent.
    /// </summary>
    public string CookieName => Secure ? "__Host-labo-port" : "labo-port";

    /// <summary>The base URL (ending in <c>/</c>) of one web port's origin, as the browser of <paramref name="request"/> reaches it.</summary>
    public string UrlFor(HttpRequest request, string sessionId, string node, int port)
    {
        var label = Label(sessionId, node, port);
        if (template is not null)
        {
            return template.GetLeftPart(UriPartial.Authority).Replace("label-placeholder", label, StringComparison.Ordinal) + "/";
        }

        return $"http://{label}.{HostFor(request)}:{listenerPort().ToString(CultureInfo.InvariantCulture)}/";
    }

    /// <summary>A CSP source matching every port origin for pages of <paramref name="request"/> (for <c>frame-src</c>).</summary>
    public string SourceFor(HttpRequest request) => template is not null
        ? template.GetLeftPart(UriPartial.Authority).Replace("label-placeholder", "*", StringComparison.Ordinal)
        : $"http://*.{HostFor(request)}:{listenerPort().ToString(CultureInfo.InvariantCulture)}";

    /// <summary>The session, node label and port a request on the web-ports listener is for; null for any other host.</summary>
    public WebPortAddress? Read(HttpRequest request)
    {
        var host = request.Host.Host.TrimEnd('.').ToLowerInvariant();
        var dot = host.IndexOf('.', StringComparison.Ordinal);
        if (dot <= 0)
        {
            return null;
        }

        var (label, rest) = (host[..dot], host[(dot + 1)..]);
        var suffixMatches = configuredHost is not null ? rest == configuredHost : rest.StartsWith(DerivedPrefix, StringComparison.Ordinal) && IsHostName(rest);
        var first = label.IndexOf('-', StringComparison.Ordinal);
        var last = label.LastIndexOf('-');
        if (!suffixMatches || first <= 0 || last <= first + 1 || last == label.Length - 1
            || !int.TryParse(label.AsSpan(last + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
        {
            return null;
        }

        return new WebPortAddress(label[..first], label[(first + 1)..last], port);
    }

    /// <summary>
    /// <c>{session}-{node}-{port}</c>; a node name too long for one DNS label (63 characters) is cut and given a hash of
    /// the full name, which <see cref="NodeLabel"/> reproduces to find the node again.
    /// </summary>
    public static string Label(string sessionId, string node, int port)
    {
        if (sessionId.Length == 0 || !sessionId.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c)))
        {
            throw new InvalidOperationException($"Session id '{sessionId}' cannot be part of a host name.");
        }

        return $"{sessionId}-{NodeLabel(sessionId, node, port)}-{port.ToString(CultureInfo.InvariantCulture)}";
    }

    public static string NodeLabel(string sessionId, string node, int port)
    {
        var room = MaxLabelLength - sessionId.Length - port.ToString(CultureInfo.InvariantCulture).Length - 2;
        if (node.Length <= room)
        {
            return node;
        }

        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(node)))[..8];
        return node[..Math.Max(1, room - hash.Length - 1)].TrimEnd('-') + "-" + hash;
    }

    private string HostFor(HttpRequest request)
    {
        if (configuredHost is not null)
        {
            return configuredHost;
        }

        var host = request.Host.Host.TrimEnd('.').ToLowerInvariant();
        return host == "localhost" || IPAddress.TryParse(host.Trim('[', ']'), out _) || !IsHostName(host) ? "ports.localhost" : DerivedPrefix + host;
    }

    private static bool IsHostName(string host) =>
        host.Length is > 0 and <= 253 && host.Split('.').All(l => l.Length is > 0 and <= 63 && l.All(c => char.IsAsciiLetterOrDigit(c) || c == '-') && l[0] != '-' && l[^1] != '-');

    private static OptionsValidationException Invalid(string message) => new("Gateway", typeof(GatewayOptions), [message]);
}
