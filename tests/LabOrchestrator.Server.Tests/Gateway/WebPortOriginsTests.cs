using LabOrchestrator.Server.Gateway;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace LabOrchestrator.Server.Tests.Gateway;

/// <summary>Host names of web-port origins: one per session, node and port, and nothing else is read as one.</summary>
public sealed class WebPortOriginsTests
{
    private const string Session = "k3x9a0b1c2d3";

    [Theory]
    [InlineData("127.0.0.1:8080", "http://k3x9a0b1c2d3-web-8000.ports.localhost:8081/")]
    [InlineData("localhost:8080", "http://k3x9a0b1c2d3-web-8000.ports.localhost:8081/")]
    [InlineData("lab.localhost:8080", "http://k3x9a0b1c2d3-web-8000.ports.lab.localhost:8081/")]
    [InlineData("Lab.Example.COM", "http://k3x9a0b1c2d3-web-8000.ports.lab.example.com:8081/")]
    public void UrlFor_ByDefault_IsASubdomainOfPortsDotTheMainHost_SoFramesStaySameSite(string mainHost, string expected)
    {
        var origins = Origins(null, null);

        Assert.Equal(expected, origins.UrlFor(Request(mainHost), Session, "web", 8000));
    }

    [Fact]
    public void UrlFor_WithAPublicUrlTemplate_UsesItsSchemeHostAndPort_AndSecureCookies()
    {
        var origins = Origins(null, "https://{label}.ports.lab.example.com");

        Assert.Equal("https://k3x9a0b1c2d3-web-8000.ports.lab.example.com/", origins.UrlFor(Request("whatever"), Session, "web", 8000));
        Assert.Equal("https://*.ports.lab.example.com", origins.SourceFor(Request("whatever")));
        Assert.True(origins.Secure);
        Assert.Equal("__Host-labo-port", origins.CookieName);
    }

    [Theory]
    [InlineData("k3x9a0b1c2d3-web-8000.ports.example.com", "web", 8000)]
    [InlineData("K3X9A0B1C2D3-My-Node-2-80.PORTS.EXAMPLE.COM.", "my-node-2", 80)]
    public void Read_ConfiguredHost_FindsSessionNodeAndPort(string host, string node, int port)
    {
        var address = Origins("ports.example.com", null).Read(Request(host + ":8081"));

        Assert.Equal(new WebPortAddress(Session, node, port), address);
    }

    [Theory]
    [InlineData("ports.example.com")]
    [InlineData("127.0.0.1")]
    [InlineData("k3x9a0b1c2d3.ports.example.com")]
    [InlineData("k3x9a0b1c2d3-web.ports.example.com")]
    [InlineData("k3x9a0b1c2d3-web-0.ports.example.com")]
    [InlineData("k3x9a0b1c2d3-web-70000.ports.example.com")]
    [InlineData("k3x9a0b1c2d3-web-80.other.example.com")]
    [InlineData("k3x9a0b1c2d3-web-80.ports.example.com.evil.test")]
    [InlineData("x.k3x9a0b1c2d3-web-80.ports.example.com")]
    [InlineData("-web-80.ports.example.com")]
    public void Read_AnyOtherHost_IsNoPort(string host)
    {
        Assert.Null(Origins("ports.example.com", null).Read(Request(host)));
    }

    [Fact]
    public void Label_LongNodeName_FitsOneDnsLabel_AndIsFoundAgain()
    {
        var node = new string('n', 63);
        var label = WebPortOrigins.Label(Session, node, 65535);

        Assert.True(label.Length <= 63, label);
        var address = Origins("ports.example.com", null).Read(Request(label + ".ports.example.com"));
        Assert.Equal(WebPortOrigins.NodeLabel(Session, node, 65535), address?.NodeLabel);
        Assert.NotEqual(WebPortOrigins.NodeLabel(Session, new string('n', 62) + "m", 65535), address?.NodeLabel);
    }

    [Theory]
    [InlineData("ports.example.com", "https://{label}.ports.other.com", "names the host ports.other.com")]
    [InlineData("not a host", null, "Gateway:PortsHost")]
    [InlineData(null, "https://ports.example.com", "must be an http(s) URL whose host starts with {label}.")]
    [InlineData(null, "https://{label}.ports.example.com/sub", "has no path")]
    public void FromConfiguration_BadSettings_AreRefusedNamingTheSetting(string? host, string? url, string message)
    {
        var error = Assert.Throws<OptionsValidationException>(() => Origins(host, url));

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    private static WebPortOrigins Origins(string? host, string? url) =>
        WebPortOrigins.FromConfiguration(
            new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Gateway:PortsHost"] = host, ["Gateway:PortsPublicUrl"] = url }).Build(),
            () => 8081);

    private static HttpRequest Request(string host)
    {
        var context = new DefaultHttpContext();
        context.Request.Host = HostString.FromUriComponent(host);
        return context.Request;
    }
}
