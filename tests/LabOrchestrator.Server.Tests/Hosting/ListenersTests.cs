using LabOrchestrator.Server.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace LabOrchestrator.Server.Tests.Hosting;

/// <summary>Reading where the server listens, and where web ports get their own origin.</summary>
public sealed class ListenersTests
{
    [Theory]
    [InlineData("http://127.0.0.1:8080", null, 8081)]
    [InlineData("http://0.0.0.0:9000;http://127.0.0.1:9100", null, 9001)]
    [InlineData("http://127.0.0.1:8080", "http://127.0.0.1:7000", 7000)]
    [InlineData("http://127.0.0.1:0", null, 0)]
    public void WebPortsPort_DefaultsToTheNextPortOfTheFirstAddress(string urls, string? portsUrl, int expected)
    {
        var listeners = Listeners.FromConfiguration(Configuration(urls, portsUrl));

        Assert.Equal(expected, listeners.WebPortsPort);
    }

    [Theory]
    [InlineData("https://127.0.0.1:8443", null, "must be an http:// address")]
    [InlineData("http://example.org:8080", null, "must name an IP address, localhost or *")]
    [InlineData("http://localhost:0", null, "cannot use port 0 with localhost")]
    [InlineData("not a url at all", null, "Server:Urls")]
    [InlineData("http://127.0.0.1:8080", "http://127.0.0.1:8080", "must differ from every Server:Urls address")]
    public void FromConfiguration_RefusesAddressesItCannotServe_NamingTheSetting(string urls, string? portsUrl, string message)
    {
        var error = Assert.Throws<OptionsValidationException>(() => Listeners.FromConfiguration(Configuration(urls, portsUrl)));

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    private static IConfiguration Configuration(string urls, string? portsUrl) =>
        new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Server:Urls"] = urls,
            ["Gateway:PortsUrl"] = portsUrl,
        }).Build();
}
