using LabOrchestrator.Labs;
using static LabOrchestrator.Tests.Labs.LabYaml;

namespace LabOrchestrator.Tests.Labs;

/// <summary>Valid labs read into the model, with the documented defaults.</summary>
public sealed class LabParserValidTests
{
    [Fact]
    public void Parse_MinimalLab_AppliesDefaults()
    {
        var lab = AssertValid("""
            name: demo
            nodes:
              - name: web
                image: busybox
            """);

        Assert.Equal("demo", lab.Name);
        Assert.Null(lab.Title);
        Assert.Null(lab.Description);
        Assert.Empty(lab.Tags);
        Assert.Empty(lab.Networks);
        Assert.Null(lab.Guide);
        Assert.Null(lab.Limits.Duration);
        Assert.Null(lab.Limits.IdleTimeout);
        var node = Assert.Single(lab.Nodes);
        Assert.Equal("web", node.Name);
        Assert.Equal("busybox", node.Image);
        Assert.Equal(NodeKind.Container, node.Kind);
        Assert.True(node.Access.Terminal);
        Assert.False(node.Access.Desktop);
        Assert.Empty(node.Access.Http);
        Assert.Empty(node.Command);
        Assert.Empty(node.Args);
        Assert.Empty(node.Env);
        Assert.Null(node.Resources.Cpu);
        Assert.Null(node.Resources.Memory);
        Assert.Empty(node.Credentials);
        Assert.Empty(node.Networks);
    }

    [Fact]
    public void Parse_AccessWithoutTerminal_KeepsTerminalOn()
    {
        var lab = AssertValid("""
            name: demo
            nodes:
              - name: web
                image: busybox
                access:
                  desktop: true
            """);

        Assert.True(lab.Nodes[0].Access.Terminal);
        Assert.True(lab.Nodes[0].Access.Desktop);
    }

    [Fact]
    public void Parse_FullLab_ReadsEveryField()
    {
        var lab = AssertValid("""
            name: two-hosts
            title: Two hosts
            description: |
              A client and a server.
            tags: [networking, http]
            networks:
              - name: lan
              - name: dmz
            nodes:
              - name: server
                image: localhost/lab-base:latest
                kind: container
                access:
                  terminal: false
                  http:
                    - name: web
                      port: 80
                    - name: admin
                      port: 8080
                command: ["/bin/sh", "-c"]
                args: ["exec httpd -f"]
                env:
                  GREETING: hello
                  COUNT: 3
                  EMPTY:
                resources:
                  cpu: 500m
                  memory: 256Mi
                networks: [lan, dmz]
              - name: desktop
                image: localhost/lab-vm:latest
                kind: vm
                access:
                  desktop: true
                networks: [dmz]
            limits:
              duration: 2h
              idleTimeout: 30m
            """);

        Assert.Equal("Two hosts", lab.Title);
        Assert.Equal("A client and a server.\n", lab.Description);
        Assert.Equal(["networking", "http"], lab.Tags);
        Assert.Equal([new NetworkDefinition("lan"), new NetworkDefinition("dmz")], lab.Networks);
        var server = lab.FindNode("server")!;
        Assert.False(server.Access.Terminal);
        Assert.Equal([new HttpPortDefinition("web", 80), new HttpPortDefinition("admin", 8080)], server.Access.Http);
        Assert.Equal(["/bin/sh", "-c"], server.Command);
        Assert.Equal(["exec httpd -f"], server.Args);
        Assert.Equal(new Dictionary<string, string> { ["GREETING"] = "hello", ["COUNT"] = "3", ["EMPTY"] = "" }, server.Env);
        Assert.Equal(new ResourcesDefinition { Cpu = "500m", Memory = "256Mi" }, server.Resources);
        Assert.Equal(["lan", "dmz"], server.Networks);
        var desktop = lab.FindNode("desktop")!;
        Assert.Equal(NodeKind.Vm, desktop.Kind);
        Assert.True(desktop.Access.Desktop);
        Assert.Equal(TimeSpan.FromHours(2), lab.Limits.Duration);
        Assert.Equal(TimeSpan.FromMinutes(30), lab.Limits.IdleTimeout);
    }

    [Fact]
    public void Parse_GeneratePassword_SetsFlagAndLeavesPasswordEmpty()
    {
        var lab = AssertValid("""
            name: demo
            nodes:
              - name: web
                image: busybox
                credentials:
                  - name: learner
                    username: learner
                    password: generate
                  - name: admin
                    username: root
                    password: "s3cret: yes"
            """);

        var credentials = lab.Nodes[0].Credentials;
        Assert.Equal(new CredentialDefinition { Name = "learner", Username = "learner", Password = null, GeneratePassword = true }, credentials[0]);
        Assert.Equal(new CredentialDefinition { Name = "admin", Username = "root", Password = "s3cret: yes", GeneratePassword = false }, credentials[1]);
    }

    [Theory]
    [InlineData("90s", 90)]
    [InlineData("45m", 45 * 60)]
    [InlineData("2h", 2 * 3600)]
    [InlineData("1h30m", 90 * 60)]
    [InlineData("1h0m30s", 3630)]
    public void Parse_Duration_IsReadAsTimeSpan(string text, int seconds)
    {
        var lab = AssertValid($"""
            name: demo
            nodes:
              - name: web
                image: busybox
            limits:
              idleTimeout: {text}
            """);

        Assert.Equal(TimeSpan.FromSeconds(seconds), lab.Limits.IdleTimeout);
    }

    [Theory]
    [InlineData("1")]
    [InlineData("0.5")]
    [InlineData(".5")]
    [InlineData("500m")]
    [InlineData("2e3")]
    public void Parse_CpuQuantity_IsKeptAsWritten(string cpu)
    {
        var lab = AssertValid($"""
            name: demo
            nodes:
              - name: web
                image: busybox
                resources: {"{"} cpu: {cpu}, memory: 1Gi {"}"}
            """, policy: LabYaml.Permissive);

        Assert.Equal(cpu, lab.Nodes[0].Resources.Cpu);
        Assert.Equal("1Gi", lab.Nodes[0].Resources.Memory);
    }

    [Fact]
    public void Parse_GuideFolderThatExists_IsAccepted()
    {
        var dir = Directory.CreateTempSubdirectory("lab-parser-");
        try
        {
            Directory.CreateDirectory(Path.Combine(dir.FullName, "guide"));
            var lab = AssertValid("""
                name: demo
                nodes:
                  - name: web
                    image: busybox
                guide: guide/
                """, dir.FullName);

            Assert.Equal("guide/", lab.Guide);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public void GetLabOrThrow_InvalidLab_ThrowsWithEveryDiagnostic()
    {
        var result = Parse("""
            name: Demo
            nodes: []
            """);

        var error = Assert.Throws<LabValidationException>(result.GetLabOrThrow);
        Assert.Equal(2, error.Diagnostics.Count);
        Assert.Contains("lab.yaml:1:7: error: name: 'Demo' is not a valid lab name", error.Message, StringComparison.Ordinal);
    }
}
