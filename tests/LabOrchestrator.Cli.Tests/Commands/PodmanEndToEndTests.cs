using System.Text.Json;
using LabOrchestrator.Cli.Tests.Support;

namespace LabOrchestrator.Cli.Tests.Commands;

/// <summary>labctl against the real Podman engine: a session of hello-linux from start to stop.</summary>
public sealed class PodmanEndToEndTests : IDisposable
{
    private readonly Labctl labctl = new();

    public void Dispose() => labctl.Dispose();

    [Fact]
    public async Task Session_StartExecShellListStop_WorksAgainstRealPodman()
    {
        Assert.Equal(0, (await labctl.RunAsync("lab", "import", RepositoryRoot.Lab("hello-linux"))).ExitCode);

        string? sessionId = null;
        try
        {
            var start = await labctl.RunAsync("session", "start", "hello-linux", "--user", "alice", "--output", "json");
            sessionId = TryReadId(start.Out);
            Assert.True(start.ExitCode == 0, start.ToString());
            using (var started = JsonDocument.Parse(start.Out))
            {
                Assert.Equal("Running", started.RootElement.GetProperty("state").GetString());
                Assert.Equal("alice", started.RootElement.GetProperty("userId").GetString());
                var credential = Assert.Single(started.RootElement.GetProperty("credentials").EnumerateArray());
                Assert.Equal("learner", credential.GetProperty("username").GetString());
            }

            Assert.Contains("linux: Running", start.Error);

            var show = await labctl.RunAsync("session", "show", sessionId!);
            Assert.True(show.ExitCode == 0, show.ToString());
            Assert.StartsWith($"Session {sessionId} of lab 'hello-linux' for alice is Running.", show.Out, StringComparison.Ordinal);
            Assert.Matches(@"linux\s+learner\s+learner\s+\S{16}", show.Out);

            var exec = await labctl.RunAsync("session", "exec", sessionId!, "linux", "--", "sh", "-c", "echo hi; exit 3");
            Assert.True(exec.ExitCode == 3, exec.ToString());
            Assert.Equal("hi\n", exec.Out);

            var shell = await labctl.RunWithInputAsync("echo shell-$((40+2))\nexit\n", "session", "shell", sessionId!, "linux");
            Assert.True(shell.ExitCode == 0, shell.ToString());
            Assert.Contains("shell-42", shell.Out);

            var list = await labctl.RunAsync("session", "list");
            Assert.True(list.ExitCode == 0, list.ToString());
            var row = Assert.Single(list.Out.Split('\n'), l => l.StartsWith(sessionId!, StringComparison.Ordinal));
            Assert.Contains("hello-linux", row);
            Assert.Contains("alice", row);
            Assert.Contains("Running", row);

            var stop = await labctl.RunAsync("session", "stop", sessionId!);
            Assert.True(stop.ExitCode == 0, stop.ToString());
            Assert.Equal($"Session {sessionId} is Stopped.", stop.Out.Trim());
            Assert.Contains("No active sessions", (await labctl.RunAsync("session", "list")).Out);
        }
        finally
        {
            if (sessionId is not null)
            {
                // Stopping is idempotent, so this is safe after the stop above and cleans up when an assertion failed first.
                await labctl.RunAsync("session", "stop", sessionId);
            }
        }
    }

    private static string? TryReadId(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            return document.RootElement.GetProperty("id").GetString();
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
