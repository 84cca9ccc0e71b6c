using LabOrchestrator.Labs;

namespace LabOrchestrator.Tests.Labs;

/// <summary>Parses inline lab YAML under a fixed file name, so expected diagnostics can be written out in full.</summary>
internal static class LabYaml
{
    public const string FileName = "lab.yaml";

    public static LabParseResult Parse(string yaml, string? baseDirectory = null) =>
        LabParser.Parse(new LabSource(yaml, FileName, baseDirectory));

    /// <summary>Asserts the lab is rejected with exactly these diagnostics, compared as their full printed text.</summary>
    public static void AssertErrors(string yaml, params string[] expected) => AssertErrors(Parse(yaml), expected);

    public static void AssertErrors(LabParseResult result, params string[] expected)
    {
        Assert.Null(result.Lab);
        Assert.False(result.IsValid);
        Assert.Equal(expected, result.Diagnostics.Select(d => d.ToString()));
    }

    public static LabDefinition AssertValid(string yaml, string? baseDirectory = null)
    {
        var result = Parse(yaml, baseDirectory);
        Assert.Empty(result.Diagnostics);
        Assert.True(result.IsValid);
        return result.Lab!;
    }
}
