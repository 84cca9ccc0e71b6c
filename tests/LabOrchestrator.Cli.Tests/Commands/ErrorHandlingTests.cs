using LabOrchestrator.Cli.Tests.Support;

namespace LabOrchestrator.Cli.Tests.Commands;

public sealed class ErrorHandlingTests : IDisposable
{
    private readonly Labctl labctl = new();

    public void Dispose() => labctl.Dispose();

    [Fact]
    public async Task SessionStart_UnknownLab_PrintsOneErrorLineAndExitsOne()
    {
        var result = await labctl.RunAsync("session", "start", "no-such-lab", "--user", "alice");

        Assert.Equal(1, result.ExitCode);
        var line = Assert.Single(result.ErrorLines);
        Assert.Equal(
            "error: There is no lab 'no-such-lab'. List labs with 'labctl lab list' or import one with 'labctl lab import PATH'.",
            line);
        Assert.Empty(result.Out);
    }

    [Fact]
    public async Task SessionStop_UnknownSession_PrintsOneErrorLineAndExitsOne()
    {
        var result = await labctl.RunAsync("session", "stop", "nosuchsession");

        Assert.Equal(1, result.ExitCode);
        var line = Assert.Single(result.ErrorLines);
        Assert.StartsWith("error: There is no session 'nosuchsession'", line, StringComparison.Ordinal);
        Assert.DoesNotContain(" at ", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SessionExec_UnknownSession_PrintsOneErrorLineAndExitsOne()
    {
        var result = await labctl.RunAsync("session", "exec", "nosuchsession", "linux", "--", "true");

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("error: There is no session 'nosuchsession'", Assert.Single(result.ErrorLines), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verbose_AddsTheStackTraceAfterTheErrorLine()
    {
        var result = await labctl.RunAsync("session", "stop", "nosuchsession", "--verbose");

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("error: There is no session", result.ErrorLines[0], StringComparison.Ordinal);
        Assert.Contains("SessionNotFoundException", result.Error);
    }

    [Theory]
    [InlineData("session", "start", "hello-linux")]
    [InlineData("session", "frobnicate")]
    [InlineData("lab", "validate")]
    [InlineData("session", "exec", "id", "node", "--timeout", "soon", "--", "true")]
    [InlineData("lab", "list", "--output", "xml")]
    public async Task UsageError_PrintsOneErrorLineAndExitsTwo(params string[] args)
    {
        var result = await labctl.RunAsync(args);

        Assert.True(result.ExitCode == 2, result.ToString());
        var line = Assert.Single(result.ErrorLines);
        Assert.StartsWith("error: ", line, StringComparison.Ordinal);
        Assert.EndsWith("--help')", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SessionList_EmptyStore_SaysThereAreNoActiveSessions()
    {
        var table = await labctl.RunAsync("session", "list");
        var json = await labctl.RunAsync("session", "list", "--all", "--output", "json");

        Assert.Equal(0, table.ExitCode);
        Assert.Contains("No active sessions", table.Out);
        Assert.Equal("[]", json.Out.Trim());
    }
}
