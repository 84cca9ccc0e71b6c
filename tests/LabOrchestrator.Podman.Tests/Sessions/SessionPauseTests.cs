using LabOrchestrator.Engines;
using LabOrchestrator.Labs;
using LabOrchestrator.Sessions;
using LabOrchestrator.Users;

namespace LabOrchestrator.Podman.Tests.Sessions;

/// <summary>Pause and resume on real Podman: the node is frozen (no CPU) and keeps its processes and memory.</summary>
[Collection("Podman sessions")]
public sealed class SessionPauseTests
{
    private const string Marker = "lifecycle-counter";

    // The loop rewrites the file all the time, so a read may land between truncate and write: read until it holds a number.
    private const string ReadCount = "while :; do c=$(cat /tmp/count); [ -n \"$c\" ] && echo $c && break; done";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Pause_FreezesTheNode_AndResume_ContinuesTheSameProcessWithItsMemory()
    {
        await using var host = await SessionHost.StartAsync(Ct);
        await host.Catalog.AddAsync(LabSource.FromPath(RepositoryRoot.Lab("hello-linux")), Ct);
        var session = await host.Sessions.StartAsync("hello-linux", new UserRef("pia"), cancellationToken: Ct);
        Assert.Equal(SessionState.Running, session.State);
        // A busy counter that also keeps a value only in its memory (the shell variable), written out as it goes.
        var started = await host.Sessions.ExecAsync(session.Id, "linux",
            ["sh", "-c", $"nohup sh -c 'i=0; while :; do i=$((i+1)); echo $i > /tmp/count; done; : {Marker}' >/dev/null 2>&1 & echo $!"],
            TimeSpan.FromSeconds(30), Ct);
        Assert.Equal(0, started.ExitCode);
        var pid = started.StandardOutput.Trim();
        var container = PodmanNames.NodeContainer(session.Id, "linux");
        // Found while it runs: podman top answers only for running containers.
        var hostPid = await HostPidAsync(container);

        var paused = await host.Sessions.PauseAsync(session.Id, Ct);

        Assert.Equal(SessionState.Paused, paused.State);
        Assert.Equal("paused", (await PodmanCli.RunAsync("inspect", "--format", "{{.State.Status}}", container)).Trim());
        var before = CpuTicks(hostPid);
        await Task.Delay(TimeSpan.FromSeconds(1.5), Ct);
        Assert.Equal(before, CpuTicks(hostPid));
        await Assert.ThrowsAsync<InvalidOperationException>(() => host.Sessions.ExecAsync(session.Id, "linux", ["true"], TimeSpan.FromSeconds(10), Ct));

        var resumed = await host.Sessions.ResumeAsync(session.Id, Ct);

        Assert.Equal(SessionState.Running, resumed.State);
        Assert.Equal("running", (await PodmanCli.RunAsync("inspect", "--format", "{{.State.Status}}", container)).Trim());
        var alive = await host.Sessions.ExecAsync(session.Id, "linux", ["sh", "-c", $"kill -0 {pid} && {ReadCount}"], TimeSpan.FromSeconds(30), Ct);
        Assert.Equal(0, alive.ExitCode);
        var first = long.Parse(alive.StandardOutput.Trim(), System.Globalization.CultureInfo.InvariantCulture);
        await Task.Delay(TimeSpan.FromSeconds(0.5), Ct);
        var later = await host.Sessions.ExecAsync(session.Id, "linux", ["sh", "-c", ReadCount], TimeSpan.FromSeconds(30), Ct);
        Assert.True(long.Parse(later.StandardOutput.Trim(), System.Globalization.CultureInfo.InvariantCulture) > first, "the counter runs again after resume");
        Assert.True(CpuTicks(hostPid) > before, "the same host process uses CPU again");
    }

    [Fact]
    public async Task Stop_OfAPausedSession_LeavesNothingAndRecordsTheReason()
    {
        await using var host = await SessionHost.StartAsync(Ct);
        await host.Catalog.AddAsync(LabSource.FromPath(RepositoryRoot.Lab("hello-linux")), Ct);
        var session = await host.Sessions.StartAsync("hello-linux", new UserRef("quinn"), cancellationToken: Ct);
        await host.Sessions.PauseAsync(session.Id, Ct);

        var stopped = await host.Sessions.StopAsync(session.Id, new SessionStop(StopReason.PausedTooLong), Ct);

        Assert.Equal((SessionState.Stopped, StopReason.PausedTooLong), (stopped.State, stopped.StopReason));
        Assert.Empty(await host.Engine.ListAsync(new Dictionary<string, string> { [LabLabels.Session] = session.Id }, Ct));
    }

    /// <summary>The host PID of the counter loop, found by its marker among the container's processes.</summary>
    private static async Task<int> HostPidAsync(string container)
    {
        var top = await PodmanCli.RunAsync("top", container, "hpid", "args");
        var line = top.Split('\n').First(l => l.Contains(Marker, StringComparison.Ordinal) && !l.Contains("nohup", StringComparison.Ordinal));
        return int.Parse(line.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries)[0], System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>User plus system CPU time of a host process, in clock ticks (/proc/PID/stat fields 14 and 15).</summary>
    private static long CpuTicks(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return long.Parse(fields[11], System.Globalization.CultureInfo.InvariantCulture) + long.Parse(fields[12], System.Globalization.CultureInfo.InvariantCulture);
    }
}
