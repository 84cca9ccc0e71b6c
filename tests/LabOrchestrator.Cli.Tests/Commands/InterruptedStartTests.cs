using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;
using LabOrchestrator.Cli.Tests.Support;

namespace LabOrchestrator.Cli.Tests.Commands;

/// <summary>A labctl process killed while its session starts leaves things behind; stopping the session removes them all.</summary>
public sealed partial class InterruptedStartTests : IDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromMinutes(2);
    private readonly Labctl labctl = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => labctl.Dispose();

    [Fact]
    public async Task Stop_AfterStartingProcessWasKilled_LeavesNoPodContainerNetworkOrVolume()
    {
        Assert.Equal(0, (await labctl.RunAsync("lab", "import", RepositoryRoot.Lab("two-hosts"))).ExitCode);
        using var child = StartLabctl("session", "start", "two-hosts", "--user", "mallory");
        string? sessionId = null;
        try
        {
            sessionId = await ReadSessionIdAsync(child);
            // Kill as soon as the engine has made something, while the session is still starting.
            await WaitUntilAsync(async () => (await PodmanAsync("network", "ls", "-q", "--filter", $"label=lab-orchestrator.io/session={sessionId}")).Length > 0);
            child.Kill(entireProcessTree: true);
            await child.WaitForExitAsync(Ct);

            Assert.Equal("Starting", await StateAsync(sessionId));
            Assert.NotEmpty(await LeftoversAsync(sessionId));

            var stop = await labctl.RunAsync("session", "stop", sessionId);

            Assert.True(stop.ExitCode == 0, stop.ToString());
            Assert.Equal("Stopped", await StateAsync(sessionId));
            Assert.Empty(await LeftoversAsync(sessionId));
        }
        finally
        {
            if (!child.HasExited)
            {
                child.Kill(entireProcessTree: true);
            }

            if (sessionId is not null)
            {
                await labctl.RunAsync("session", "stop", sessionId);
            }
        }
    }

    private Process StartLabctl(params string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "labctl.dll"));
        info.ArgumentList.Add("--database");
        info.ArgumentList.Add(labctl.DatabasePath);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        return Process.Start(info) ?? throw new InvalidOperationException("labctl did not start.");
    }

    private static async Task<string> ReadSessionIdAsync(Process child)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(Deadline);
        while (await child.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
        {
            if (StartingLine().Match(line) is { Success: true } match)
            {
                return match.Groups[1].Value;
            }
        }

        throw new InvalidOperationException($"labctl ended without naming its session: {await child.StandardError.ReadToEndAsync(Ct)}");
    }

    private async Task<string?> StateAsync(string sessionId)
    {
        var list = await labctl.RunAsync("session", "list", "--all", "--output", "json");
        using var json = JsonDocument.Parse(list.Out);
        return json.RootElement.EnumerateArray()
            .Where(s => s.GetProperty("id").GetString() == sessionId)
            .Select(s => s.GetProperty("state").GetString())
            .SingleOrDefault();
    }

    /// <summary>Everything Podman holds with the session's label, asked of Podman itself rather than of the engine.</summary>
    private static async Task<string> LeftoversAsync(string sessionId)
    {
        var filter = $"label=lab-orchestrator.io/session={sessionId}";
        var found = string.Concat(
            await PodmanAsync("pod", "ps", "-q", "--filter", filter),
            await PodmanAsync("ps", "-aq", "--filter", filter),
            await PodmanAsync("network", "ls", "-q", "--filter", filter),
            await PodmanAsync("volume", "ls", "-q", "--filter", filter));
        return found.Trim();
    }

    private static async Task<string> PodmanAsync(params string[] args)
    {
        var info = new ProcessStartInfo("podman") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info)!;
        var output = await process.StandardOutput.ReadToEndAsync(Ct);
        await process.WaitForExitAsync(Ct);
        return output.Trim();
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        var watch = Stopwatch.StartNew();
        while (!await condition())
        {
            if (watch.Elapsed > Deadline)
            {
                throw new TimeoutException("The engine created nothing for the session in time.");
            }

            await Task.Delay(50, Ct);
        }
    }

    [GeneratedRegex(@"^Starting session ([a-z0-9]+) of lab")]
    private static partial Regex StartingLine();
}
