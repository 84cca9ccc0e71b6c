using LabOrchestrator.Labs;
using static LabOrchestrator.Tests.Labs.LabYaml;

namespace LabOrchestrator.Tests.Labs;

/// <summary>The lab's <c>egress</c> and a node's <c>allowUserNamespaces</c>: what a lab may ask beyond the safe defaults.</summary>
public sealed class LabParserIsolationTests
{
    [Fact]
    public void Parse_WithoutEgressOrUserNamespaces_RefusesBoth()
    {
        var lab = AssertValid("""
            name: demo
            nodes:
              - name: host
                image: localhost/lab-base:latest
            """);

        Assert.Equal(EgressPolicy.None, lab.Egress);
        Assert.False(lab.Nodes[0].AllowUserNamespaces);
    }

    [Theory]
    [InlineData("none", EgressPolicy.None)]
    [InlineData("internet", EgressPolicy.Internet)]
    public void Parse_Egress_IsRead(string value, EgressPolicy expected)
    {
        var lab = AssertValid($"""
            name: demo
            egress: {value}
            nodes:
              - name: host
                image: localhost/lab-base:latest
            """);

        Assert.Equal(expected, lab.Egress);
    }

    [Fact]
    public void Parse_UnknownEgress_NamesTheChoices() => AssertErrors("""
        name: demo
        egress: everywhere
        nodes:
          - name: host
            image: localhost/lab-base:latest
        """,
        "lab.yaml:2:9: error: egress: 'everywhere' is not a valid egress (use 'none' (nodes reach only each other, the default) or 'internet' (public addresses, never private ranges or the host))");

    [Fact]
    public void Parse_AllowUserNamespaces_IsKeptPerNode()
    {
        var lab = AssertValid("""
            name: demo
            nodes:
              - name: builder
                image: localhost/lab-base:latest
                allowUserNamespaces: true
              - name: host
                image: localhost/lab-base:latest
                allowUserNamespaces: false
            """);

        Assert.True(lab.Nodes[0].AllowUserNamespaces);
        Assert.False(lab.Nodes[1].AllowUserNamespaces);
    }

    [Fact]
    public void Parse_AllowUserNamespacesQuoted_AsksForABoolean() => AssertErrors("""
        name: demo
        nodes:
          - name: builder
            image: localhost/lab-base:latest
            allowUserNamespaces: "yes"
        """,
        "lab.yaml:5:26: error: nodes[0].allowUserNamespaces: expected true or false, found 'yes' (use true or false)");

    [Fact]
    public void Parse_AllowUserNamespacesOnVm_IsRefused() => AssertErrors("""
        name: demo
        nodes:
          - name: box
            image: localhost/vm-disk:latest
            kind: vm
            allowUserNamespaces: true
        """,
        "lab.yaml:6:5: error: nodes[0].allowUserNamespaces: a vm node cannot have 'allowUserNamespaces' (a virtual machine has its own kernel and decides this itself; remove 'allowUserNamespaces', or use kind: container)");
}
