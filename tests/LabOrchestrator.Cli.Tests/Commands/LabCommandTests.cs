using System.Text.Json;
using System.Text.RegularExpressions;
using LabOrchestrator.Cli.Tests.Support;

namespace LabOrchestrator.Cli.Tests.Commands;

public sealed partial class LabCommandTests : IDisposable
{
    private const string BrokenLab = """
        name: Broken_Lab
        nodes:
          - name: web
            imag: localhost/lab-base:latest
        """;

    private readonly Labctl labctl = new();

    public void Dispose() => labctl.Dispose();

    [Fact]
    public async Task Validate_ExampleLabs_ExitsZeroAndSaysEachIsValid()
    {
        var result = await labctl.RunAsync("lab", "validate", RepositoryRoot.Lab("hello-linux"), RepositoryRoot.Lab("two-hosts"));

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains($"✓ {RepositoryRoot.Lab("hello-linux")}: lab 'hello-linux' is valid (1 node, 0 networks)", result.Out);
        Assert.Contains($"✓ {RepositoryRoot.Lab("two-hosts")}: lab 'two-hosts' is valid (2 nodes, 1 network)", result.Out);
        Assert.Empty(result.Error);
    }

    [Fact]
    public async Task Validate_BrokenLab_PrintsEveryDiagnosticWithFileLineAndColumnAndExitsOne()
    {
        var folder = labctl.WriteLab("broken", BrokenLab);

        var result = await labctl.RunAsync("lab", "validate", folder);

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Empty(result.Out);
        Assert.True(result.ErrorLines.Count >= 2, result.ToString());
        Assert.All(result.ErrorLines, line => Assert.Matches(DiagnosticLine(), line));
        Assert.Contains(result.ErrorLines, line => line.Contains("imag", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Validate_MissingPath_SaysThereIsNoLabFileAndExitsOne()
    {
        var result = await labctl.RunAsync("lab", "validate", Path.Combine(labctl.Folder, "nowhere.yaml"));

        Assert.Equal(1, result.ExitCode);
        var line = Assert.Single(result.ErrorLines);
        Assert.StartsWith("error: ", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_Json_ReportsValidityAndDiagnosticsPerPath()
    {
        var broken = labctl.WriteLab("broken", BrokenLab);

        var result = await labctl.RunAsync("lab", "validate", RepositoryRoot.Lab("hello-linux"), broken, "--output", "json");

        Assert.Equal(1, result.ExitCode);
        using var json = JsonDocument.Parse(result.Out);
        var labs = json.RootElement.EnumerateArray().ToList();
        Assert.True(labs[0].GetProperty("valid").GetBoolean());
        Assert.Equal("hello-linux", labs[0].GetProperty("name").GetString());
        Assert.False(labs[1].GetProperty("valid").GetBoolean());
        Assert.NotEmpty(labs[1].GetProperty("diagnostics").EnumerateArray());
        Assert.True(labs[1].GetProperty("diagnostics")[0].GetProperty("line").GetInt32() > 0);
    }

    [Fact]
    public async Task Import_ThenList_ShowsTheLabInTableAndJson()
    {
        var import = await labctl.RunAsync("lab", "import", RepositoryRoot.Lab("hello-linux"));
        Assert.True(import.ExitCode == 0, import.ToString());
        Assert.Contains("Imported lab 'hello-linux'", import.Out);

        var table = await labctl.RunAsync("lab", "list");
        Assert.True(table.ExitCode == 0, table.ToString());
        Assert.Contains("NAME", table.Out);
        var row = Assert.Single(table.Out.Split('\n'), l => l.StartsWith("hello-linux", StringComparison.Ordinal));
        Assert.Contains("Hello, Linux", row);
        Assert.Contains("linux, beginner", row);

        var json = await labctl.RunAsync("lab", "list", "--output", "json");
        Assert.True(json.ExitCode == 0, json.ToString());
        using var document = JsonDocument.Parse(json.Out);
        var lab = Assert.Single(document.RootElement.EnumerateArray());
        Assert.Equal("hello-linux", lab.GetProperty("name").GetString());
        Assert.Equal("Hello, Linux", lab.GetProperty("title").GetString());
        Assert.Equal(["linux"], lab.GetProperty("nodes").EnumerateArray().Select(n => n.GetString()));
        Assert.Equal(["linux", "beginner"], lab.GetProperty("tags").EnumerateArray().Select(n => n.GetString()));
    }

    [Fact]
    public async Task Import_SameLabTwice_ReplacesIt()
    {
        Assert.Equal(0, (await labctl.RunAsync("lab", "import", RepositoryRoot.Lab("two-hosts"))).ExitCode);
        Assert.Equal(0, (await labctl.RunAsync("lab", "import", RepositoryRoot.Lab("two-hosts"))).ExitCode);

        var list = await labctl.RunAsync("lab", "list", "-o", "json");

        using var document = JsonDocument.Parse(list.Out);
        Assert.Single(document.RootElement.EnumerateArray());
    }

    [Fact]
    public async Task Import_WithAnInvalidLab_StoresNothingNotEvenTheValidOnes()
    {
        var broken = labctl.WriteLab("broken", BrokenLab);

        var result = await labctl.RunAsync("lab", "import", RepositoryRoot.Lab("hello-linux"), broken);

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains(result.ErrorLines, line => DiagnosticLine().IsMatch(line));
        Assert.Equal("error: ", result.ErrorLines[^1][..7]);
        var list = await labctl.RunAsync("lab", "list", "--output", "json");
        Assert.Equal("[]", list.Out.Trim());
    }

    [Theory]
    [InlineData("[")]
    [InlineData("{a: ")]
    [InlineData("- ")]
    public async Task Import_LabWhoseGuideStepIsNestedHundredThousandDeep_IsRefusedAtTheStepAndStoresNothing(string unit)
    {
        var folder = labctl.WriteLab("deep", "name: deep\nguide: guide\nnodes:\n  - name: linux\n    image: localhost/lab-base:latest\n");
        Directory.CreateDirectory(Path.Combine(folder, "guide"));
        File.WriteAllText(Path.Combine(folder, "guide", "guide.yaml"), "title: Deep\npages: [intro.md]\n");
        File.WriteAllText(Path.Combine(folder, "guide", "intro.md"), "# Intro\n\n```step id=deep\nhints: " + string.Concat(Enumerable.Repeat(unit, 100_000)) + "\n```\n");

        var result = await labctl.RunAsync("lab", "import", folder);

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains(result.ErrorLines, line => line.Contains("guide/intro.md:4:", StringComparison.Ordinal) || line.Contains("guide/guide.yaml:2:", StringComparison.Ordinal));
        Assert.Equal("[]", (await labctl.RunAsync("lab", "list", "--output", "json")).Out.Trim());
    }

    [Fact]
    public async Task Remove_ImportedLab_IsGoneFromTheList()
    {
        await labctl.RunAsync("lab", "import", RepositoryRoot.Lab("hello-linux"));

        var remove = await labctl.RunAsync("lab", "remove", "hello-linux");

        Assert.True(remove.ExitCode == 0, remove.ToString());
        Assert.Contains("Removed lab 'hello-linux'.", remove.Out);
        Assert.Contains("No labs.", (await labctl.RunAsync("lab", "list")).Out);
    }

    [Fact]
    public async Task Remove_UnknownLab_PrintsOneErrorLineAndExitsOne()
    {
        var result = await labctl.RunAsync("lab", "remove", "no-such-lab");

        Assert.Equal(1, result.ExitCode);
        var line = Assert.Single(result.ErrorLines);
        Assert.StartsWith("error: There is no lab 'no-such-lab'", line, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"^.+lab\.yaml:\d+:\d+: error: .+$")]
    private static partial Regex DiagnosticLine();
}
