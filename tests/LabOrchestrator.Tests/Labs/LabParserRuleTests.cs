using static LabOrchestrator.Tests.Labs.LabYaml;

namespace LabOrchestrator.Tests.Labs;

/// <summary>Names, uniqueness, references between nodes and networks, and the value formats.</summary>
public sealed class LabParserRuleTests
{
    private const string NameRule = "use lowercase letters, digits and '-', starting and ending with a letter or digit, at most 63 characters";

    [Fact]
    public void Parse_InvalidLabName_SuggestsCorrectedName() => AssertErrors("""
        name: Two_Hosts
        nodes:
          - name: web
            image: busybox
        """,
        $"lab.yaml:1:7: error: name: 'Two_Hosts' is not a valid lab name: {NameRule} (try 'two-hosts')");

    [Fact]
    public void Parse_InvalidNodeName_SuggestsCorrectedName() => AssertErrors("""
        name: demo
        nodes:
          - name: Web Server!
            image: busybox
        """,
        $"lab.yaml:3:11: error: nodes[0].name: 'Web Server!' is not a valid node name: {NameRule} (try 'web-server')");

    [Fact]
    public void Parse_TooLongNetworkName_IsRejected()
    {
        var name = new string('a', 64);
        AssertErrors($"""
            name: demo
            networks:
              - name: {name}
            nodes:
              - name: web
                image: busybox
                networks: [{name}]
            """,
            $"lab.yaml:3:11: error: networks[0].name: '{name}' is not a valid network name: {NameRule} (try '{name[..63]}')",
            $"lab.yaml:7:16: error: nodes[0].networks[0]: network '{name}' is not declared (declare it in the top-level 'networks' list: networks: [{{ name: {name} }}])");
    }

    [Fact]
    public void Parse_InvalidHttpPortName_IsRejected() => AssertErrors("""
        name: demo
        nodes:
          - name: web
            image: busybox
            access:
              http:
                - name: Web_UI
                  port: 80
        """,
        $"lab.yaml:7:17: error: nodes[0].access.http[0].name: 'Web_UI' is not a valid port name: {NameRule} (try 'web-ui')");

    [Fact]
    public void Parse_DuplicateNodeNames_PointsAtSecondAndMentionsFirst() => AssertErrors("""
        name: demo
        nodes:
          - name: web
            image: busybox
          - name: web
            image: alpine
        """,
        "lab.yaml:5:11: error: nodes[1].name: duplicate node name 'web' (first on line 3) (each node name must be unique within the lab)");

    [Fact]
    public void Parse_DuplicateNetworkNames_PointsAtSecondAndMentionsFirst() => AssertErrors("""
        name: demo
        networks:
          - name: lan
          - name: lan
        nodes:
          - name: web
            image: busybox
            networks: [lan]
        """,
        "lab.yaml:4:11: error: networks[1].name: duplicate network name 'lan' (first on line 3) (each network name must be unique within the lab)");

    [Fact]
    public void Parse_DuplicateHttpPortNames_PointsAtSecond() => AssertErrors("""
        name: demo
        nodes:
          - name: web
            image: busybox
            access:
              http:
                - name: web
                  port: 80
                - name: web
                  port: 8080
        """,
        "lab.yaml:9:17: error: nodes[0].access.http[1].name: duplicate port name 'web' (first on line 7) (each port name must be unique within a node)");

    [Fact]
    public void Parse_DuplicateHttpPortNumbers_PointsAtSecond() => AssertErrors("""
        name: demo
        nodes:
          - name: web
            image: busybox
            access:
              http:
                - name: web
                  port: 80
                - name: admin
                  port: 80
        """,
        "lab.yaml:10:17: error: nodes[0].access.http[1].port: duplicate port '80' (first on line 8) (each port must be unique within a node)");

    [Fact]
    public void Parse_DuplicateCredentialNames_PointsAtSecond() => AssertErrors("""
        name: demo
        nodes:
          - name: web
            image: busybox
            credentials:
              - name: learner
                username: learner
                password: generate
              - name: learner
                username: root
                password: toor
        """,
        "lab.yaml:9:15: error: nodes[0].credentials[1].name: duplicate credential name 'learner' (first on line 6) (each credential name must be unique within a node)");

    [Fact]
    public void Parse_SameCredentialNameOnTwoNodes_IsAllowed() => AssertValid("""
        name: demo
        nodes:
          - name: a
            image: busybox
            credentials: [{ name: learner, username: learner, password: generate }]
          - name: b
            image: busybox
            credentials: [{ name: learner, username: learner, password: generate }]
        """);

    [Fact]
    public void Parse_UndeclaredNetwork_SuggestsClosestDeclaredNetwork() => AssertErrors("""
        name: demo
        networks:
          - name: lan
          - name: dmz
        nodes:
          - name: web
            image: busybox
            networks: [lan, dmzz]
          - name: db
            image: busybox
            networks: [dmz]
        """,
        "lab.yaml:8:21: error: nodes[0].networks[1]: network 'dmzz' is not declared (did you mean 'dmz'? declared networks: lan, dmz)");

    [Fact]
    public void Parse_UndeclaredNetworkWithNothingClose_ListsDeclaredNetworks() => AssertErrors("""
        name: demo
        networks:
          - name: lan
        nodes:
          - name: web
            image: busybox
            networks: [lan, internet]
        """,
        "lab.yaml:7:21: error: nodes[0].networks[1]: network 'internet' is not declared (declared networks: lan)");

    [Fact]
    public void Parse_NetworkNoNodeJoins_IsReportedAsUnused() => AssertErrors("""
        name: demo
        networks:
          - name: lan
          - name: dmz
        nodes:
          - name: web
            image: busybox
            networks: [lan]
        """,
        "lab.yaml:4:11: error: networks[1].name: network 'dmz' is not joined by any node (add it to a node's 'networks' list, or remove it)");

    [Fact]
    public void Parse_NodeListingSameNetworkTwice_IsRejected() => AssertErrors("""
        name: demo
        networks:
          - name: lan
        nodes:
          - name: web
            image: busybox
            networks:
              - lan
              - lan
        """,
        "lab.yaml:9:9: error: nodes[0].networks[1]: duplicate network 'lan' (first on line 8) (each network must be unique in a node's 'networks' list)");

    [Theory]
    [InlineData("Busybox", "'Busybox' is not a valid image reference (repository names must be lowercase) (try 'busybox')")]
    [InlineData("docker.io/Library/Alpine:3.20", "'docker.io/Library/Alpine:3.20' is not a valid image reference (repository names must be lowercase) (try 'docker.io/library/alpine:3.20')")]
    [InlineData("\"busy box\"", "'busy box' is not a valid image reference (it contains whitespace) (remove the spaces)")]
    [InlineData("\"busybox:\"", "'busybox:' is not a valid image reference (the tag after ':' is empty) (remove the ':' or add a tag, e.g. ':latest')")]
    [InlineData("busybox@sha256:abc", "'busybox@sha256:abc' is not a valid image reference (the digest must be 'sha256:' followed by 64 lowercase hexadecimal digits) (use [registry/]repository[:tag][@sha256:digest], e.g. docker.io/library/alpine:3.20)")]
    [InlineData("busybox:-1", "'busybox:-1' is not a valid image reference (a tag may contain only letters, digits, '_', '.' and '-', at most 128 characters) (use [registry/]repository[:tag][@sha256:digest], e.g. docker.io/library/alpine:3.20)")]
    [InlineData("lab__base--x/_x", "'lab__base--x/_x' is not a valid image reference (repository path components may contain only lowercase letters and digits, separated by '.', '_', '__' or '-') (use [registry/]repository[:tag][@sha256:digest], e.g. docker.io/library/alpine:3.20)")]
    [InlineData("reg-.io/x", "'reg-.io/x' is not a valid image reference ('reg-.io' is not a valid registry host) (use [registry/]repository[:tag][@sha256:digest], e.g. docker.io/library/alpine:3.20)")]
    public void Parse_MalformedImageReference_NamesTheWrongPart(string image, string expected) => AssertErrors($"""
        name: demo
        nodes:
          - name: web
            image: {image}
        """,
        $"lab.yaml:4:12: error: nodes[0].image: {expected}");

    [Theory]
    [InlineData("localhost/lab-base:latest")]
    [InlineData("busybox")]
    [InlineData("docker.io/library/alpine:3.20")]
    [InlineData("registry.example.com:5000/team/lab_base.v2:1.0-rc1")]
    [InlineData("quay.io/x/y@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef")]
    public void Parse_ValidImageReference_IsAccepted(string image) => AssertValid($"""
        name: demo
        nodes:
          - name: web
            image: {image}
        """, policy: LabYaml.Permissive);

    [Theory]
    [InlineData("cpu", "lots", "'lots' is not a valid quantity (use a Kubernetes quantity such as 1, 0.5 or 500m)")]
    [InlineData("cpu", "-1", "'-1' must be greater than zero (use a Kubernetes quantity such as 1, 0.5 or 500m)")]
    [InlineData("cpu", "0", "'0' must be greater than zero (use a Kubernetes quantity such as 1, 0.5 or 500m)")]
    [InlineData("memory", "500 m", "'500 m' is not a valid quantity (use a Kubernetes quantity such as 128Mi, 1Gi or 512M)")]
    [InlineData("memory", "1.5.2Gi", "'1.5.2Gi' is not a valid quantity (use a Kubernetes quantity such as 128Mi, 1Gi or 512M)")]
    [InlineData("memory", "256MB", "'256MB' is not a valid quantity (use a Kubernetes quantity such as 128Mi, 1Gi or 512M)")]
    public void Parse_MalformedQuantity_IsRejected(string resource, string value, string expected) => AssertErrors($"""
        name: demo
        nodes:
          - name: web
            image: busybox
            resources:
              {resource}: {value}
        """,
        $"lab.yaml:6:{9 + resource.Length}: error: nodes[0].resources.{resource}: {expected}");

    [Theory]
    [InlineData("2 hours", "'2 hours' is not a valid duration")]
    [InlineData("90", "'90' is not a valid duration")]
    [InlineData("1h30", "'1h30' is not a valid duration")]
    [InlineData("30m1h", "'30m1h' is not a valid duration")]
    [InlineData("-5m", "'-5m' is not a valid duration")]
    [InlineData("0s", "'0s' must be longer than zero")]
    [InlineData("9000h", "'9000h' is longer than the maximum of 366 days")]
    public void Parse_MalformedDuration_IsRejected(string value, string expected) => AssertErrors($"""
        name: demo
        nodes:
          - name: web
            image: busybox
        limits:
          duration: {value}
        """,
        $"lab.yaml:6:13: error: limits.duration: {expected} (use whole numbers with the units h, m and s, e.g. 90s, 45m, 2h or 1h30m)");

    [Fact]
    public void Parse_GuideLeavingTheLabFolder_IsRejected() => AssertErrors("""
        name: demo
        nodes:
          - name: web
            image: busybox
        guide: ../other-lab/guide
        """,
        "lab.yaml:5:8: error: guide: '../other-lab/guide' leaves the lab folder (keep the guide inside the lab folder, e.g. guide/)");

    [Fact]
    public void Parse_AbsoluteGuidePath_IsRejected() => AssertErrors("""
        name: demo
        nodes:
          - name: web
            image: busybox
        guide: /etc
        """,
        "lab.yaml:5:8: error: guide: '/etc' is an absolute path (give the folder relative to the lab file, e.g. guide/)");

    [Fact]
    public void Parse_GuideFolderThatDoesNotExist_IsRejected()
    {
        var dir = Directory.CreateTempSubdirectory("lab-parser-");
        try
        {
            AssertErrors(Parse("""
                name: demo
                nodes:
                  - name: web
                    image: busybox
                guide: guide/
                """, dir.FullName),
                "lab.yaml:5:8: error: guide: there is no folder 'guide/' next to the lab file (create the folder, or correct the path)");
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}
