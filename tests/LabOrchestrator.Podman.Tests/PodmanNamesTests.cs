namespace LabOrchestrator.Podman.Tests;

public sealed class PodmanNamesTests
{
    [Fact]
    public void Bridge_IsAValidLinuxInterfaceNameCoveredByTheFirewallPrefix()
    {
        var bridge = PodmanNames.Bridge("abcdefghijkl", "some-long-network-name");

        Assert.True(bridge.Length <= 15, bridge);
        Assert.StartsWith(PodmanNames.BridgePrefix, bridge, StringComparison.Ordinal);
        Assert.Matches("^[a-z0-9]+$", bridge);
    }

    [Fact]
    public void Bridge_DiffersPerSessionAndPerNetwork()
    {
        var names = new[]
        {
            PodmanNames.Bridge("session1", "lan"),
            PodmanNames.Bridge("session2", "lan"),
            PodmanNames.Bridge("session1", "dmz"),
        };

        Assert.Equal(names.Length, names.Distinct().Count());
        Assert.Equal(PodmanNames.Bridge("session1", "lan"), names[0]);
    }
}
