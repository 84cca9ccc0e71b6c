using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;

namespace LabOrchestrator.Server.Hosting;

/// <summary>
/// Where Kestrel listens: the addresses of <c>Server:Urls</c> for the API, the web app and consoles, and one more,
/// <c>Gateway:PortsUrl</c>, that serves nothing but nodes' web ports. Web ports show pages the learner controls, so
/// they get their own origin: their scripts cannot read the API's responses or send its CSRF-protected requests.
/// </summary>
internal sealed class Listeners
{
    private const string WebPortsItem = "labo.web-ports";
    private readonly List<BindingAddress> main;
    private readonly BindingAddress webPorts;
    private ListenOptions? webPortsOptions;

    private Listeners(List<BindingAddress> main, BindingAddress webPorts, string? webPortsPublicUrl)
    {
        this.main = main;
        this.webPorts = webPorts;
        WebPortsPublicUrl = webPortsPublicUrl?.TrimEnd('/');
    }

    /// <summary>The public base URL of the web-ports origin when a reverse proxy fronts it (<c>Gateway:PortsPublicUrl</c>).</summary>
    public string? WebPortsPublicUrl { get; }

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

        return new Listeners(main, ports, configuration["Gateway:PortsPublicUrl"]);
    }

    /// <summary>
    /// On the web-ports origin only web ports are served: no API, no web app, no consoles, so a node's page cannot use
    /// them with the visitor's cookie.
    /// </summary>
    public static async Task GuardWebPortsOriginAsync(HttpContext context, RequestDelegate next)
    {
        if (IsWebPortsRequest(context) && !IsWebPortPath(context.Request.Path))
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            context.Response.ContentType = "text/plain; charset=utf-8";
            await context.Response.WriteAsync("This address serves the web ports of lab nodes only.", context.RequestAborted);
            return;
        }

        await next(context);
    }

    private static bool IsWebPortPath(PathString path)
    {
        var segments = (path.Value ?? "").Split('/');
        // "", "gateway", "sessions", id, "nodes", node, "ports", port, …
        return segments.Length >= 8 && segments[1] == "gateway" && segments[2] == "sessions" && segments[4] == "nodes" && segments[6] == "ports";
    }

    /// <summary>Whether this request came in on the web-ports listener.</summary>
    public static bool IsWebPortsRequest(HttpContext context) =>
        context.Features.Get<IConnectionItemsFeature>()?.Items.ContainsKey(WebPortsItem) == true;

    /// <summary>The port the web-ports listener is bound to (known once the server runs, also when configured as 0).</summary>
    public int WebPortsPort => webPortsOptions?.IPEndPoint?.Port ?? webPorts.Port;

    /// <summary>The base URL (scheme, host, port) of the web-ports origin as the browser of this request reaches it.</summary>
    public string WebPortsBaseUrl(HttpRequest request)
    {
        if (WebPortsPublicUrl is not null)
        {
            return WebPortsPublicUrl;
        }

        var port = WebPortsPort.ToString(CultureInfo.InvariantCulture);
        var host = IsWildcard(webPorts.Host) ? request.Host.Host : webPorts.Host;
        return $"{webPorts.Scheme}://{(host.Contains(':', StringComparison.Ordinal) && !host.StartsWith('[') ? $"[{host}]" : host)}:{port}";
    }

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
