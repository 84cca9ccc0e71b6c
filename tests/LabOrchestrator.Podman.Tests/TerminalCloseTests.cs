using System.Text;
using System.Text.Json;
using LabOrchestrator.Engines;

namespace LabOrchestrator.Podman.Tests;

/// <summary>A closed terminal ends its shell, what runs in it, and its exec session in the node.</summary>
[Collection(PodmanCollection.Name)]
public sealed class TerminalCloseTests(TwoSessionsFixture fixture)
{
    [Fact]
    public async Task Terminal_WhenClosed_LeavesNoShellProcessOrExecSessionInTheNode()
    {
        var container = PodmanNames.NodeContainer(fixture.First, "client");
        var before = await ExecIdsAsync(container);
        var seconds = Random.Shared.Next(100_000, 999_999).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var terminal = await fixture.Engine.OpenTerminalAsync(fixture.First, "client", new TerminalOptions(), TestEngine.Timeout());
        var opened = (await ExecIdsAsync(container)).Except(before).ToList();
        await terminal.Input.WriteAsync(Encoding.UTF8.GetBytes($"sleep {seconds}\r"), TestEngine.Timeout(10));
        await WaitUntilAsync(async () => (await ProcessesAsync(container)).Contains($"sleep {seconds}"), TimeSpan.FromSeconds(30), "sleep never started");
        Assert.NotEmpty(opened);
        var shells = (await ProcessesAsync(container)).Split('\n').Count(l => l.Contains("bash", StringComparison.Ordinal));
        Assert.True(shells > 0, "The terminal's shell is not among the node's processes.");

        await terminal.DisposeAsync();

        await WaitUntilAsync(async () =>
        {
            var processes = await ProcessesAsync(container);
            return !processes.Contains($"sleep {seconds}") && !processes.Contains("bash", StringComparison.Ordinal);
        }, TimeSpan.FromSeconds(15), "the shell or its sleep still runs");
        // Podman forgets an ended exec session after exit_command_delay.
        await WaitUntilAsync(async () => !(await ExecIdsAsync(container)).Intersect(opened).Any(),
            TimeSpan.FromSeconds(ServiceConfiguration.ExitCommandDelaySeconds + 60), "Podman still has the terminal's exec session");
    }

    private static async Task<string> ProcessesAsync(string container) =>
        await PodmanCli.RunAsync("top", container, "pid", "args");

    private static async Task<IReadOnlyList<string>> ExecIdsAsync(string container)
    {
        using var json = JsonDocument.Parse(await PodmanCli.RunAsync("inspect", "--type", "container", container, "--format", "{{json .ExecIDs}}"));
        return json.RootElement.ValueKind == JsonValueKind.Array ? json.RootElement.EnumerateArray().Select(e => e.GetString()!).ToList() : [];
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan limit, string failure)
    {
        var deadline = DateTime.UtcNow + limit;
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, failure);
            await Task.Delay(250, TestContext.Current.CancellationToken);
        }
    }
}
