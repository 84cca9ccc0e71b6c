using LabOrchestrator.Labs;

namespace LabOrchestrator.Tests.Labs;

/// <summary>Parses inline lab YAML under a fixed file name, so expected diagnostics can be written out in full.</summary>
internal static class LabYaml
{
    public const string FileName = "lab.yaml";

    /// <summary>Ceilings high enough and registries wide enough for tests of the syntax rather than the ceilings.</summary>
    public static readonly LabPolicyOptions Permissive = new()
    {
        MaxNodeCpu = "1e6",
        MaxNodeMemory = "1Ei",
        AllowedRegistries = ["localhost", "docker.io", "quay.io", "registry.example.com:5000"],
    };

    public static LabParseResult Parse(string yaml, string? baseDirectory = null, LabPolicyOptions? policy = null) =>
        LabParser.Parse(new LabSource(yaml, FileName, baseDirectory), policy ?? new LabPolicyOptions());

    /// <summary>Asserts the lab is rejected with exactly these diagnostics, compared as their full printed text.</summary>
    public static void AssertErrors(string yaml, params string[] expected) => AssertErrors(Parse(yaml), expected);

    public static void AssertErrors(LabParseResult result, params string[] expected)
    {
        Assert.Null(result.Lab);
        Assert.False(result.IsValid);
        Assert.Equal(expected, result.Diagnostics.Select(d => d.ToString()));
    }

    public static LabDefinition AssertValid(string yaml, string? baseDirectory = null, LabPolicyOptions? policy = null)
    {
        var result = Parse(yaml, baseDirectory, policy);
        Assert.Empty(result.Diagnostics);
        Assert.True(result.IsValid);
        return result.Lab!;
    }
}
