using static LabOrchestrator.Tests.Labs.LabYaml;

namespace LabOrchestrator.Tests.Labs;

/// <summary>One run reports every problem of a file, in file order.</summary>
public sealed class LabParserReportingTests
{
    [Fact]
    public void Parse_LabWithSeveralProblems_ReportsAllOfThemInFileOrder() => AssertErrors("""
        name: Demo
        titel: Demo
        networks:
          - name: lan
          - name: dmz
        nodes:
          - name: web
            imgae: busybox
            kind: docker
            access:
              terminal: maybe
              http:
                - name: web
                  port: 80
                - name: api
                  port: 80
            env:
              LAB_X: 1
            resources:
              cpu: lots
            credentials:
              - name: learner
                username: learner
            networks: [lann]
            networks: [lan]
          - name: web
            image: Busybox
        limits:
          duration: 2 hours
        """,
        "lab.yaml:1:7: error: name: 'Demo' is not a valid lab name: use lowercase letters, digits and '-', starting and ending with a letter or digit, at most 63 characters (try 'demo')",
        "lab.yaml:2:1: error: titel: unknown field 'titel' (did you mean 'title'?)",
        "lab.yaml:4:11: error: networks[0].name: network 'lan' is not joined by any node (add it to a node's 'networks' list, or remove it)",
        "lab.yaml:5:11: error: networks[1].name: network 'dmz' is not joined by any node (add it to a node's 'networks' list, or remove it)",
        "lab.yaml:7:5: error: nodes[0]: missing required field 'image' (name the image the node runs, e.g. localhost/lab-base:latest)",
        "lab.yaml:8:5: error: nodes[0].imgae: unknown field 'imgae' (did you mean 'image'?)",
        "lab.yaml:9:11: error: nodes[0].kind: 'docker' is not a valid kind (use 'container' or 'vm')",
        "lab.yaml:11:17: error: nodes[0].access.terminal: expected true or false, found 'maybe' (use true or false)",
        "lab.yaml:16:17: error: nodes[0].access.http[1].port: duplicate port '80' (first on line 14) (each port must be unique within a node)",
        "lab.yaml:18:7: error: nodes[0].env.LAB_X: 'LAB_X' is reserved: names starting with LAB_ are set by the orchestrator (choose a name without the LAB_ prefix)",
        "lab.yaml:20:12: error: nodes[0].resources.cpu: 'lots' is not a valid quantity (use a Kubernetes quantity such as 1, 0.5 or 500m)",
        "lab.yaml:22:9: error: nodes[0].credentials[0]: missing required field 'password' (give a password, or 'generate' for a random one in every session)",
        "lab.yaml:24:16: error: nodes[0].networks[0]: network 'lann' is not declared (did you mean 'lan'? declared networks: lan, dmz)",
        "lab.yaml:25:5: error: nodes[0].networks: duplicate key 'networks' (first on line 24) (a field may appear only once in a mapping; remove or merge one of them)",
        "lab.yaml:26:11: error: nodes[1].name: duplicate node name 'web' (first on line 7) (each node name must be unique within the lab)",
        "lab.yaml:27:12: error: nodes[1].image: 'Busybox' is not a valid image reference (repository names must be lowercase) (try 'busybox')",
        "lab.yaml:29:13: error: limits.duration: '2 hours' is not a valid duration (use whole numbers with the units h, m and s, e.g. 90s, 45m, 2h or 1h30m)");

    [Fact]
    public void Parse_Diagnostics_CarryTheSourceFileName()
    {
        var result = LabOrchestrator.Labs.LabParser.Parse(new LabOrchestrator.Labs.LabSource("""
            name: two-hosts
            nodes:
              - name: server
                image: Busybox
            """, "two-hosts/lab.yaml", null));

        var diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal(new LabOrchestrator.Labs.LabDiagnostic("two-hosts/lab.yaml", 4, 12, "nodes[0].image",
            "'Busybox' is not a valid image reference (repository names must be lowercase)", "try 'busybox'"), diagnostic);
    }
}
