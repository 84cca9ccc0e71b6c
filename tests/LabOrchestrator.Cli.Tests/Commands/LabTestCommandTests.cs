using LabOrchestrator.Cli.Tests.Support;

namespace LabOrchestrator.Cli.Tests.Commands;

/// <summary><c>labctl lab test</c> against the real Podman engine.</summary>
public sealed class LabTestCommandTests : IDisposable
{
    private const string LabYaml = """
        name: broken-guide
        nodes:
          - name: linux
            image: localhost/lab-base:latest
        guide: guide/
        limits:
          duration: 10m
        """;

    private readonly Labctl labctl = new();

    public void Dispose() => labctl.Dispose();

    [Fact]
    public async Task Test_HelloLinux_PassesEveryCheckedStep_AndStopsItsSession()
    {
        var result = await labctl.RunAsync("lab", "test", RepositoryRoot.Lab("hello-linux"));

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("✓ files/make-folder\n", result.Out);
        Assert.Contains("✓ files/make-file\n", result.Out);
        Assert.Contains("✓ permissions/make-executable\n", result.Out);
        Assert.Contains("Lab 'hello-linux' passed: 3 checked steps.", result.Out);
        Assert.Contains("No active sessions", (await labctl.RunAsync("session", "list")).Out);
    }

    [Fact]
    public async Task Test_SolveScriptThatDoesNothing_FailsNamingTheStep()
    {
        var folder = WriteLabWithGuide("""
            # Broken

            ```step id=do-nothing
            check:
              node: linux
              script: |
                test -f /tmp/done || echo "FAIL: /tmp/done is missing"
            solve:
              node: linux
              script: "true"
            ```

            ```step id=always-passes
            check:
              node: linux
              script: "true"
            solve:
              node: linux
              script: "true"
            ```
            """);

        var result = await labctl.RunAsync("lab", "test", folder);

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains("✗ page/do-nothing: the check still fails after the solve script ran (/tmp/done is missing)\n", result.Out);
        Assert.Contains("✗ page/always-passes: the check passes before the solve script ran\n", result.Out);
        Assert.Equal("error: lab 'broken-guide' failed its test: steps page/do-nothing, page/always-passes.", Assert.Single(result.ErrorLines));
        Assert.Contains("No active sessions", (await labctl.RunAsync("session", "list")).Out);
    }

    [Fact]
    public async Task Test_GuideWithProblems_PrintsThemWithoutStartingASession()
    {
        var folder = WriteLabWithGuide("""
            ```step id=x
            check:
              node: windows
              script: "true"
            ```
            """);

        var result = await labctl.RunAsync("lab", "test", folder);

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains("page.md:3:9: error: check.node: the lab has no node 'windows' (nodes of the lab: linux)", result.Error);
        Assert.Contains("is not a valid lab (its problems are above); no session was started.", result.ErrorLines[^1]);
    }

    private string WriteLabWithGuide(string page)
    {
        var folder = labctl.WriteLab("broken-guide", LabYaml);
        var guide = Directory.CreateDirectory(Path.Combine(folder, "guide")).FullName;
        File.WriteAllText(Path.Combine(guide, "guide.yaml"), "title: Broken\npages: [page.md]\n");
        File.WriteAllText(Path.Combine(guide, "page.md"), page);
        return folder;
    }
}
