using System.Text.RegularExpressions;
using LabOrchestrator.Cli.Tests.Support;

namespace LabOrchestrator.Cli.Tests.Commands;

/// <summary>
/// Every lab under <c>labs/</c> validates and passes <c>labctl lab test</c> against the real Podman engine: each
/// checked step fails first, then passes after its solve script. A new folder is covered without touching this file.
/// </summary>
public sealed partial class ExampleLabTests : IDisposable
{
    private readonly Labctl labctl = new();

    public static TheoryData<string> Labs => new(
        Directory.GetDirectories(Path.Combine(RepositoryRoot.Path, "labs")).Select(Path.GetFileName).OfType<string>().Order());

    public void Dispose() => labctl.Dispose();

    [Fact]
    public void Labs_FolderHoldsTheExampleLabs() =>
        Assert.Superset(new HashSet<string> { "hello-linux", "two-hosts", "network-basics" }, Labs.Select(row => row.Data).ToHashSet());

    [Theory]
    [MemberData(nameof(Labs))]
    public async Task Validate_ExampleLab_IsValid(string lab)
    {
        var result = await labctl.RunAsync("lab", "validate", RepositoryRoot.Lab(lab));

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains($"lab '{lab}' is valid", result.Out, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Labs))]
    public async Task Test_ExampleLab_PassesEveryCheckedStep(string lab)
    {
        var result = await labctl.RunAsync("lab", "test", RepositoryRoot.Lab(lab));

        Assert.True(result.ExitCode == 0, result.ToString());
        var passed = PassedLine().Match(result.Out);
        Assert.True(passed.Success, result.ToString());
        Assert.Equal(lab, passed.Groups["lab"].Value);
        Assert.True(int.Parse(passed.Groups["count"].Value, System.Globalization.CultureInfo.InvariantCulture) > 0, result.ToString());
        Assert.DoesNotContain("✗", result.Out, StringComparison.Ordinal);
        Assert.Contains("No active sessions", (await labctl.RunAsync("session", "list")).Out, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"^Lab '(?<lab>[^']+)' passed: (?<count>[0-9]+) checked steps?\.$", RegexOptions.Multiline)]
    private static partial Regex PassedLine();
}
