using LabOrchestrator.Labs;
using LabOrchestrator.Tests.Labs;

namespace LabOrchestrator.Tests.Security;

/// <summary>Hostile lab files (issue 11, findings 2 and 9) are refused with a diagnostic, never a crash.</summary>
public sealed class LabParserLimitsTests
{
    private const string Node = "nodes:\n  - name: web\n    image: localhost/lab-base:latest\n";

    public static TheoryData<string> NestedYamlShapes => [.. HostileText.NestedYaml().Select(s => s.Name)];

    [Theory]
    [MemberData(nameof(NestedYamlShapes))]
    public void Parse_HundredThousandNestedValues_IsRefusedAtTheDepthLimit(string shape)
    {
        var yaml = "name: demo\n" + Node + "tags: " + HostileText.NestedYaml().Single(s => s.Name == shape).Yaml;

        var result = LabYaml.Parse(yaml);

        Assert.False(result.IsValid);
        Assert.NotEmpty(result.Diagnostics);
        Assert.All(result.Diagnostics, d => Assert.True(d.Line >= 1 && d.Column >= 1));
    }

    [Fact]
    public void Parse_BillionLaughs_IsReadWithoutExpandingTheAliases()
    {
        // Aliases share the value they point at, so nine levels of nine stay 90 values, not 9^9.
        var result = LabYaml.Parse("name: demo\n" + Node + HostileText.BillionLaughs() + "tags: *j\n");

        Assert.False(result.IsValid);
        Assert.InRange(result.Diagnostics.Count, 1, 101);
    }

    [Fact]
    public void Parse_MoreAliasesThanTheLimit_IsRefused()
    {
        var yaml = "name: demo\n" + Node + "tags: [&t x, " + string.Join(", ", Enumerable.Repeat("*t", 150)) + "]\n";

        Assert.Contains(LabYaml.Parse(yaml).Diagnostics, d => d.Message.Contains("more than 100 aliases", StringComparison.Ordinal));
    }

    [Fact]
    public void Parse_NineMegabyteDescription_IsRefusedBeforeReading()
    {
        var yaml = "name: demo\n" + Node + "description: " + new string('x', 9 * 1024 * 1024);

        var problem = Assert.Single(LabYaml.Parse(yaml).Diagnostics);

        Assert.Equal($"lab.yaml:1:1: error: the lab file is {yaml.Length} bytes, more than the limit of 262144 (keep long texts in the guide; a lab file describes nodes, networks and limits)", problem.ToString());
    }

    [Fact]
    public void Parse_LongDescriptionWithinTheFileLimit_IsRefusedAtTheField()
    {
        var yaml = "name: demo\n" + Node + "description: " + new string('x', 20_000);

        var problem = Assert.Single(LabYaml.Parse(yaml).Diagnostics);

        Assert.StartsWith("lab.yaml:5:14: error: description: is 20000 characters long, more than the limit of 10000", problem.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(300)]
    [InlineData(200_000)]
    public void Parse_ThousandsOfEnvKeys_IsRefusedWithOneProblem(int keys)
    {
        var env = string.Concat(Enumerable.Range(0, keys).Select(i => $"      K{i}: v\n"));
        var yaml = "name: demo\n" + Node + "    env:\n" + env;

        var result = LabYaml.Parse(yaml);

        Assert.False(result.IsValid);
        Assert.InRange(result.Diagnostics.Count, 1, 101);
    }

    [Fact]
    public void Parse_ManyBadKeys_StopsListingAfterAHundredProblems()
    {
        var env = string.Concat(Enumerable.Range(0, 250).Select(i => $"      LAB_{i}: v\n"));

        var result = LabYaml.Parse("name: demo\n" + Node + "    env:\n" + env);

        Assert.Equal(101, result.Diagnostics.Count);
        Assert.Contains("more than 100 problems", result.Diagnostics[^1].Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("cpu", "1e9", "'1e9' is more than the ceiling of 4 (Labs:MaxNodeCpu)")]
    [InlineData("cpu", "5", "'5' is more than the ceiling of 4 (Labs:MaxNodeCpu)")]
    [InlineData("cpu", "4001m", "'4001m' is more than the ceiling of 4 (Labs:MaxNodeCpu)")]
    [InlineData("cpu", "1e400", "'1e400' is more than the ceiling of 4 (Labs:MaxNodeCpu)")]
    [InlineData("memory", "999Ei", "'999Ei' is more than the ceiling of 8Gi (Labs:MaxNodeMemory)")]
    [InlineData("memory", "9Gi", "'9Gi' is more than the ceiling of 8Gi (Labs:MaxNodeMemory)")]
    [InlineData("memory", "9E", "'9E' is more than the ceiling of 8Gi (Labs:MaxNodeMemory)")]
    [InlineData("memory", "8589934593", "'8589934593' is more than the ceiling of 8Gi (Labs:MaxNodeMemory)")]
    public void Parse_ResourcesAboveTheCeiling_NameTheFieldAndTheCeiling(string field, string value, string expected)
    {
        var yaml = "name: demo\n" + Node + $"    resources:\n      {field}: {value}\n";

        var problem = Assert.Single(LabYaml.Parse(yaml).Diagnostics);

        Assert.Equal($"nodes[0].resources.{field}", problem.Path);
        Assert.Equal(expected, problem.Message);
        Assert.Equal(6, problem.Line);
    }

    [Theory]
    [InlineData("4", "8Gi")]
    [InlineData("4000m", "8192Mi")]
    [InlineData("0.5", "8589934592")]
    public void Parse_ResourcesAtTheCeiling_AreAccepted(string cpu, string memory) =>
        LabYaml.AssertValid("name: demo\n" + Node + $"    resources: {{cpu: \"{cpu}\", memory: \"{memory}\"}}\n");

    [Theory]
    [InlineData("quay.io/evil/miner:latest", "quay.io")]
    [InlineData("ghcr.io/x/y", "ghcr.io")]
    [InlineData("LOCALHOST:5000/x", "LOCALHOST:5000")]
    [InlineData("10.0.0.1:5000/x", "10.0.0.1:5000")]
    [InlineData("localhost.evil.org/x", "localhost.evil.org")]
    public void Parse_ImageFromARegistryNotAllowed_NamesTheRegistryAndTheSetting(string image, string registry)
    {
        var yaml = $"name: demo\nnodes:\n  - name: web\n    image: {image}\n";

        var problem = Assert.Single(LabYaml.Parse(yaml).Diagnostics);

        Assert.Equal("nodes[0].image", problem.Path);
        Assert.Equal($"images from the registry '{registry}' are not allowed (Labs:AllowedRegistries: localhost, docker.io)", problem.Message);
    }

    [Theory]
    [InlineData("localhost/lab-base:latest")]
    [InlineData("busybox")]
    [InlineData("library/alpine:3.20")]
    [InlineData("docker.io/library/alpine")]
    [InlineData("index.docker.io/library/alpine")]
    public void Parse_ImageFromAnAllowedRegistry_IsAccepted(string image) =>
        LabYaml.AssertValid($"name: demo\nnodes:\n  - name: web\n    image: {image}\n");

    [Fact]
    public void Parse_AdminAllowList_ReplacesTheDefault()
    {
        var policy = new LabPolicyOptions { AllowedRegistries = ["registry.example.org:5000"] };

        Assert.True(LabYaml.Parse("name: demo\nnodes:\n  - name: web\n    image: registry.example.org:5000/x\n", policy: policy).IsValid);
        Assert.False(LabYaml.Parse("name: demo\nnodes:\n  - name: web\n    image: localhost/x\n", policy: policy).IsValid);
    }

    [Fact]
    public void Parse_MoreNodesThanTheCeiling_IsRefusedAtTheList()
    {
        var nodes = string.Concat(Enumerable.Range(0, 3).Select(i => $"  - name: n{i}\n    image: busybox\n"));

        var problem = Assert.Single(LabYaml.Parse("name: demo\nnodes:\n" + nodes, policy: new LabPolicyOptions { MaxNodesPerLab = 2 }).Diagnostics);

        Assert.Equal("lab.yaml:3:3: error: nodes: the lab has 3 nodes, more than the ceiling of 2 (Labs:MaxNodesPerLab) (use fewer nodes, or ask the administrator to raise Labs:MaxNodesPerLab)", problem.ToString());
    }

    [Fact]
    public void Parse_CallersCancellation_StopsTheParse()
    {
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        var yaml = "name: demo\n" + Node + "tags: [" + string.Join(",", Enumerable.Range(0, 1000)) + "]";

        Assert.Throws<OperationCanceledException>(() => LabParser.Parse(new LabSource(yaml, "lab.yaml", null), new LabPolicyOptions(), cancelled.Token));
    }
}
