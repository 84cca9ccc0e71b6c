using LabOrchestrator.Labs;

namespace LabOrchestrator.Tests.Labs;

/// <summary>The labs shipped in <c>labs/</c> are the authors' first examples; they must always validate.</summary>
public sealed class ExampleLabsTests
{
    [Fact]
    public void EveryExampleLab_Validates()
    {
        var files = Directory.GetDirectories(Path.Combine(RepositoryRoot.Path, "labs"))
            .Select(dir => Path.Combine(dir, LabSource.DefaultFileName))
            .Where(File.Exists)
            .Order()
            .ToList();

        Assert.True(files.Count >= 2, $"expected at least 2 example labs, found {files.Count}");
        Assert.All(files, file => Assert.Equal([], LabParser.Parse(LabSource.FromPath(file)).Diagnostics.Select(d => d.ToString())));
    }
}
