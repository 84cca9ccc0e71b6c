using System.Diagnostics;
using System.Net;
using Yarp.ReverseProxy.Forwarder;

namespace LabOrchestrator.Server.Gateway;

/// <summary>The one HTTP client web-port requests are forwarded with: no proxy, no redirects, no cookies, no decompression.</summary>
internal sealed class WebPortClient : IDisposable
{
    public HttpMessageInvoker Invoker { get; } = new(new SocketsHttpHandler
    {
        UseProxy = false,
        AllowAutoRedirect = false,
        AutomaticDecompression = DecompressionMethods.None,
        UseCookies = false,
        EnableMultipleHttp2Connections = true,
        ActivityHeadersPropagator = new ReverseProxyPropagator(DistributedContextPropagator.Current),
        ConnectTimeout = TimeSpan.FromSeconds(10),
    });

    public void Dispose() => Invoker.Dispose();
}
