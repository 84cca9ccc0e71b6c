using System.Text;
using LabOrchestrator.Engines;

namespace LabOrchestrator.Podman.Tests;

[Collection(PodmanCollection.Name)]
public sealed class TerminalTests(TwoSessionsFixture fixture)
{
    [Fact]
    public async Task Terminal_TypedCommand_EchoesAndPrintsItsOutput()
    {
        await using var terminal = await fixture.Engine.OpenTerminalAsync(fixture.First, "client", new TerminalOptions(), TestEngine.Timeout());
        var screen = new StringBuilder();
        await TypeAsync(terminal, "echo hello-$((6*7))\r");
        await ReadUntilAsync(terminal, screen, "hello-42");
        Assert.Contains("echo hello-$((6*7))", screen.ToString());
    }

    [Fact]
    public async Task Terminal_AfterResize_ReportsTheNewSize()
    {
        await using var terminal = await fixture.Engine.OpenTerminalAsync(fixture.First, "client", new TerminalOptions { Columns = 90, Rows = 20 }, TestEngine.Timeout());
        var screen = new StringBuilder();
        await TypeAsync(terminal, "stty size\r");
        await ReadUntilAsync(terminal, screen, "20 90");
        await terminal.ResizeAsync(100, 30, TestEngine.Timeout());
        await TypeAsync(terminal, "stty size\r");
        await ReadUntilAsync(terminal, screen, "30 100");
    }

    [Fact]
    public async Task Terminal_UnknownSession_ThrowsEngineException()
    {
        await Assert.ThrowsAsync<EngineException>(() => fixture.Engine.OpenTerminalAsync("no-such-session", "client", new TerminalOptions(), TestEngine.Timeout()));
    }

    private static async Task TypeAsync(ITerminalStream terminal, string keys)
    {
        await terminal.Input.WriteAsync(Encoding.UTF8.GetBytes(keys), TestEngine.Timeout(10));
        await terminal.Input.FlushAsync(TestEngine.Timeout(10));
    }

    private static async Task ReadUntilAsync(ITerminalStream terminal, StringBuilder screen, string expected)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        var buffer = new byte[4096];
        while (!screen.ToString().Contains(expected, StringComparison.Ordinal))
        {
            int read;
            try
            {
                read = await terminal.Output.ReadAsync(buffer, deadline.Token);
            }
            catch (OperationCanceledException)
            {
                Assert.Fail($"The terminal never printed '{expected}'. It printed: {screen}");
                return;
            }

            Assert.True(read > 0, $"The terminal ended before printing '{expected}'. It printed: {screen}");
            screen.Append(Encoding.UTF8.GetString(buffer, 0, read));
        }
    }
}
