using System.Globalization;
using System.Net;
using LabOrchestrator.Server.Gateway;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;

namespace LabOrchestrator.Server.Hosting;

/// <summary>
/// Where Kestrel listens: the addresses of <c>Server:Urls</c> for the API, the web app and consoles, and one more,
/// <c>Gateway:PortsUrl</c>, that serves nothing but nodes' web ports, each on a host name of its own
/// (<see cref="WebPortOrigins"/>). Web ports show pages the learner controls, so they get origins of their own: their
/// scripts cannot read the API's responses, send its CSRF-protected requests, or read another port's pages.
/// </summary>
internal sealed class Listeners
{
    private const string WebPortsItem = "labo.web-ports";
    private readonly List<BindingAddress> main;
    private readonly BindingAddress webPorts;
    private ListenOptions? webPortsOptions;

    private Listeners(List<BindingAddress> main, BindingAddress webPorts, IConfiguration configuration)
    {
        this.main = main;
        this.webPorts = webPorts;
        Origins = WebPortOrigins.FromConfiguration(configuration, () => WebPortsPort);
    }

    /// <summary>The host names (and public URLs) of web ports' origins.</summary>
    public WebPortOrigins Origins { get; }

    /// <summary>
    /// Reads <c>Server:Urls</c> (semicolon-separated <c>http://</c> addresses) and <c>Gateway:PortsUrl</c> (by default the
    /// first server address with the next port number, or another free port when that one is 0).
    /// </summary>
    public static Listeners FromConfiguration(IConfiguration configuration)
    {
        var urls = configuration["Server:Urls"] is { Length: > 0 } configured ? configured : new ServerOptions().Urls;
        var main = urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(u => Parse("Server:Urls", u)).ToList();
        if (main.Count == 0)
        {
            throw Invalid("Server:Urls names no address; give one such as http://127.0.0.1:8080.");
        }

        var first = main[0];
        var ports = configuration["Gateway:PortsUrl"] is { Length: > 0 } portsUrl
            ? Parse("Gateway:PortsUrl", portsUrl)
            : BindingAddress.Parse($"http://{first.Host}:{(first.Port == 0 ? 0 : first.Port + 1).ToString(CultureInfo.InvariantCulture)}");
        if (main.Any(m => m.Port != 0 && m.Port == ports.Port && m.Host == ports.Host))
        {
            throw Invalid($"Gateway:PortsUrl ({ports}) must differ from every Server:Urls address: web ports need an origin of their own.");
        }

        return new Listeners(main, ports, configuration);
    }

    /// <summary>Whether this request came in on the web-ports listener.</summary>
    public static bool IsWebPortsRequest(HttpContext context) =>
        context.Features.Get<IConnectionItemsFeature>()?.Items.ContainsKey(WebPortsItem) == true;

    /// <summary>The port the web-ports listener is bound to (known once the server runs, also when configured as 0).</summary>
    public int WebPortsPort => webPortsOptions?.IPEndPoint?.Port ?? webPorts.Port;

    public void Configure(KestrelServerOptions kestrel)
    {
        foreach (var address in main)
        {
            Listen(kestrel, address, _ => { });
        }

        Listen(kestrel, webPorts, options =>
        {
            options.Use(next => connection =>
            {
                connection.Items[WebPortsItem] = true;
                return next(connection);
            });
            webPortsOptions = options;
        });
    }

    private static void Listen(KestrelServerOptions kestrel, BindingAddress address, Action<ListenOptions> configure)
    {
        if (address.IsUnixPipe)
        {
            kestrel.ListenUnixSocket(address.UnixPipePath, configure);
        }
        else if (address.Host == "localhost")
        {
            kestrel.ListenLocalhost(address.Port, configure);
        }
        else if (IsWildcard(address.Host))
        {
            kestrel.ListenAnyIP(address.Port, configure);
        }
        else
        {
            kestrel.Listen(IPAddress.Parse(address.Host.Trim('[', ']')), address.Port, configure);
        }
    }

    private static BindingAddress Parse(string setting, string url)
    {
        BindingAddress address;
        try
        {
            address = BindingAddress.Parse(url);
        }
        catch (FormatException)
        {
            throw Invalid($"{setting}: '{url}' is not an address; write it like http://127.0.0.1:8080.");
        }

        if (!string.Equals(address.Scheme, "http", StringComparison.OrdinalIgnoreCase))
        {
            throw Invalid($"{setting}: '{url}' must be an http:// address; put a reverse proxy with TLS in front for https.");
        }

        if (!address.IsUnixPipe && address.Host != "localhost" && !IsWildcard(address.Host) && !IPAddress.TryParse(address.Host.Trim('[', ']'), out _))
        {
            throw Invalid($"{setting}: '{url}' must name an IP address, localhost or * as its host.");
        }

        if (address.Host == "localhost" && address.Port == 0)
        {
            throw Invalid($"{setting}: '{url}' cannot use port 0 with localhost; use 127.0.0.1:0.");
        }

        return address;
    }

    private static bool IsWildcard(string host) => host is "*" or "+" or "0.0.0.0" or "[::]";

    private static OptionsValidationException Invalid(string message) => new("Server", typeof(ServerOptions), [message]);
}
