using LabOrchestrator.Cli.Tests.Support;
using LabOrchestrator.Engines;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace LabOrchestrator.Cli.Tests.Commands;

/// <summary>labctl session reset|save, saved, storage on <see cref="FakeLabEngine"/>: the commands' output and exit codes.</summary>
public sealed class PersistCommandTests : IDisposable
{
    private readonly FakeLabEngine engine = new();
    private readonly Labctl labctl;

    public PersistCommandTests() => labctl = new Labctl(services =>
    {
        services.RemoveAll<ILabEngine>();
        services.AddSingleton<ILabEngine>(engine);
    });

    public void Dispose() => labctl.Dispose();

    [Fact]
    public async Task SessionReset_OneNode_PrintsItsProgressAndRunsAgain()
    {
        var id = await StartTwoHostsAsync();

        var result = await labctl.RunAsync("session", "reset", id, "--node", "client");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("client: Creating", result.Error + result.Out, StringComparison.Ordinal);
        Assert.Contains("client: Running", result.Error + result.Out, StringComparison.Ordinal);
        Assert.Contains($"Session {id} is Running again.", result.Out, StringComparison.Ordinal);
        Assert.Equal([(id, "client")], engine.Resets);
    }

    [Fact]
    public async Task SessionReset_UnknownNode_PrintsOneErrorLineNamingTheNodes()
    {
        var id = await StartTwoHostsAsync();

        var result = await labctl.RunAsync("session", "reset", id, "--node", "nosuch");

        Assert.Equal(1, result.ExitCode);
        var line = Assert.Single(result.ErrorLines, l => l.StartsWith("error:", StringComparison.Ordinal));
        Assert.Contains("has no node 'nosuch'. Its nodes: server, client", line, StringComparison.Ordinal);
        Assert.Empty(engine.Resets);
    }

    [Fact]
    public async Task SaveThenContinue_StartsANewSessionFromTheSave_AndDeleteRemovesIt()
    {
        var id = await StartTwoHostsAsync();

        var save = await labctl.RunAsync("session", "save", id);
        Assert.Equal(0, save.ExitCode);
        var savedId = save.Out.Split(' ')[4].TrimEnd(';');
        Assert.Contains(savedId, (await labctl.RunAsync("saved", "list")).Out, StringComparison.Ordinal);
        Assert.Equal(0, (await labctl.RunAsync("session", "stop", id)).ExitCode);

        var resume = await labctl.RunAsync("saved", "continue", savedId);

        Assert.Equal(0, resume.ExitCode);
        Assert.Contains("Running", resume.Out, StringComparison.Ordinal);
        // Refused while the continued session runs; removed with its images once it stopped.
        var refused = await labctl.RunAsync("saved", "delete", savedId);
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("stop it first", Assert.Single(refused.ErrorLines), StringComparison.Ordinal);
        Assert.Contains(engine.Persistent, r => r.Labels.GetValueOrDefault(LabLabels.Saved) == savedId);
    }

    [Fact]
    public async Task StorageList_WithNothingStored_SaysSo_AndDeleteOfAnUnknownNameFails()
    {
        Assert.Equal("No stored data.", (await labctl.RunAsync("storage", "list")).Out.Trim());

        var delete = await labctl.RunAsync("storage", "delete", "lo-store-nosuch");

        Assert.Equal(1, delete.ExitCode);
        Assert.StartsWith("error: There is no stored data 'lo-store-nosuch'", Assert.Single(delete.ErrorLines), StringComparison.Ordinal);
    }

    private async Task<string> StartTwoHostsAsync()
    {
        Assert.Equal(0, (await labctl.RunAsync("lab", "import", RepositoryRoot.Lab("two-hosts"))).ExitCode);
        var start = await labctl.RunAsync("session", "start", "two-hosts", "--user", "lea", "--quiet");
        Assert.Equal(0, start.ExitCode);
        return start.Out.Trim();
    }
}
