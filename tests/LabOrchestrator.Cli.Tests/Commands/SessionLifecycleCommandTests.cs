using LabOrchestrator.Cli.Tests.Support;

namespace LabOrchestrator.Cli.Tests.Commands;

public sealed class SessionLifecycleCommandTests : IDisposable
{
    private readonly Labctl labctl = new();

    public void Dispose() => labctl.Dispose();

    [Theory]
    [InlineData("pause")]
    [InlineData("resume")]
    [InlineData("extend")]
    public async Task SessionLifecycleCommand_UnknownSession_PrintsOneErrorLineAndExitsOne(string verb)
    {
        var result = await labctl.RunAsync("session", verb, "nosuchsession");

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("error: There is no session 'nosuchsession'", Assert.Single(result.ErrorLines), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SessionHelp_ListsPauseResumeAndExtend()
    {
        var result = await labctl.RunAsync("session", "--help");

        Assert.Contains("pause", result.Out, StringComparison.Ordinal);
        Assert.Contains("resume", result.Out, StringComparison.Ordinal);
        Assert.Contains("extend", result.Out, StringComparison.Ordinal);
    }
}
