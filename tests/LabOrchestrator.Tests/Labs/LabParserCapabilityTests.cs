using static LabOrchestrator.Tests.Labs.LabYaml;

namespace LabOrchestrator.Tests.Labs;

/// <summary>A node's <c>capabilities</c>: only those confined to the node's own network namespace.</summary>
public sealed class LabParserCapabilityTests
{
    [Fact]
    public void Parse_NetworkCapabilities_AreKeptInOrder()
    {
        var lab = AssertValid("""
            name: demo
            nodes:
              - name: router
                image: localhost/lab-base:latest
                capabilities: [NET_ADMIN, NET_RAW]
              - name: host
                image: localhost/lab-base:latest
            """);

        Assert.Equal(["NET_ADMIN", "NET_RAW"], lab.Nodes[0].Capabilities);
        Assert.Empty(lab.Nodes[1].Capabilities);
    }

    [Fact]
    public void Parse_CapabilityWithPrefixOrLowercase_SuggestsItsName() => AssertErrors("""
        name: demo
        nodes:
          - name: router
            image: busybox
            capabilities: [CAP_NET_ADMIN, net_raw]
        """,
        "lab.yaml:5:20: error: nodes[0].capabilities[0]: 'CAP_NET_ADMIN' is not a capability a node may have (try 'NET_ADMIN')",
        "lab.yaml:5:35: error: nodes[0].capabilities[1]: 'net_raw' is not a capability a node may have (try 'NET_RAW')");

    [Fact]
    public void Parse_CapabilityReachingTheHost_IsRefused() => AssertErrors("""
        name: demo
        nodes:
          - name: router
            image: busybox
            capabilities:
              - SYS_ADMIN
        """,
        "lab.yaml:6:9: error: nodes[0].capabilities[0]: 'SYS_ADMIN' is not a capability a node may have (allowed: NET_ADMIN, NET_RAW; others reach beyond the node's own network namespace)");

    [Fact]
    public void Parse_DuplicateCapability_PointsAtSecond() => AssertErrors("""
        name: demo
        nodes:
          - name: router
            image: busybox
            capabilities: [NET_ADMIN, NET_ADMIN]
        """,
        "lab.yaml:5:31: error: nodes[0].capabilities[1]: duplicate capability 'NET_ADMIN' (first on line 5) (each capability must be unique within a node)");

    [Fact]
    public void Parse_CapabilitiesAsString_AsksForAList() => AssertErrors("""
        name: demo
        nodes:
          - name: router
            image: busybox
            capabilities: NET_ADMIN
        """,
        "lab.yaml:5:19: error: nodes[0].capabilities: expected a list of capabilities, found 'NET_ADMIN' (write a list, e.g. capabilities: [NET_ADMIN])");

    [Fact]
    public void Parse_CapabilitiesOnVm_AreRefused() => AssertErrors("""
        name: demo
        nodes:
          - name: box
            image: localhost/vm-disk:latest
            kind: vm
            capabilities: [NET_ADMIN]
        """,
        "lab.yaml:6:5: error: nodes[0].capabilities: a vm node cannot have 'capabilities' (the learner is root in a virtual machine's own kernel already; remove 'capabilities', or use kind: container)");
}
