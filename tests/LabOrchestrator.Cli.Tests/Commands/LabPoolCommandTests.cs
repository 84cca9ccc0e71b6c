using System.Text.Json;
using LabOrchestrator.Cli.Tests.Support;

namespace LabOrchestrator.Cli.Tests.Commands;

/// <summary><c>labctl lab pool</c>: the administrator's pool size of a lab, in the shared database.</summary>
public sealed class LabPoolCommandTests : IDisposable
{
    private readonly Labctl labctl = new();

    public void Dispose() => labctl.Dispose();

    [Fact]
    public async Task Pool_SetAndClear_OverridesTheLabFilesSizeAndSaysWhereItComesFrom()
    {
        var folder = labctl.WriteLab("pooled", "name: pooled\nnodes:\n  - name: box\n    image: localhost/lab-base:latest\npool:\n  size: 2\n");
        Assert.Equal(0, (await labctl.RunAsync("lab", "import", folder)).ExitCode);

        var shown = await labctl.RunAsync("lab", "pool", "pooled");
        var set = await labctl.RunAsync("lab", "pool", "pooled", "--size", "5", "--output", "json");
        var cleared = await labctl.RunAsync("lab", "pool", "pooled", "--clear");

        Assert.True(shown.ExitCode == 0, shown.ToString());
        Assert.Contains("pool size 2 (lab file)", shown.Out, StringComparison.Ordinal);
        Assert.True(set.ExitCode == 0, set.ToString());
        var json = JsonDocument.Parse(set.Out).RootElement;
        Assert.Equal(5, json.GetProperty("overrideSize").GetInt32());
        Assert.Equal(2, json.GetProperty("labFileSize").GetInt32());
        Assert.Contains("pool size 2 (lab file)", cleared.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pool_BadSizeOrUnknownLabOrVmLabWithGeneratedPassword_FailsWithOneClearLine()
    {
        var vm = labctl.WriteLab("vmlab", """
            name: vmlab
            nodes:
              - name: vm
                kind: vm
                image: localhost/vm-tiny:latest
                credentials:
                  - name: root
                    username: root
                    password: generate
            """);
        Assert.Equal(0, (await labctl.RunAsync("lab", "import", vm)).ExitCode);

        var negative = await labctl.RunAsync("lab", "pool", "vmlab", "--size", "101");
        var missing = await labctl.RunAsync("lab", "pool", "nope", "--size", "1");
        var refused = await labctl.RunAsync("lab", "pool", "vmlab", "--size", "1");

        Assert.Equal(2, negative.ExitCode);
        Assert.Contains("--size must be a whole number from 0 to 100", negative.Error, StringComparison.Ordinal);
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("nope", missing.Error, StringComparison.Ordinal);
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("node 'vm' is a VM with a generated password", refused.Error, StringComparison.Ordinal);
    }
}
