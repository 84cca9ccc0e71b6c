using System.Diagnostics;
using System.Text.Json;
using LabOrchestrator.Cli.Tests.Support;

namespace LabOrchestrator.Cli.Tests.Commands;

/// <summary>
/// SIGKILL of a labctl process at points of an operation, then one <c>labctl session reconcile</c>: nothing with the
/// session's label is left in Podman and the session is in a true state (Failed or Stopped, so no quota counts it).
/// A case is an operation run in a child labctl, the observable point to kill it at, and the state it must end in:
/// add pause, reset or pool refill as one more <see cref="Case"/> each.
/// </summary>
[Collection(CrashRecoveryCollection.Name)]
public sealed class CrashRecoveryTests : IDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromMinutes(2);
    private readonly Labctl labctl = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => labctl.Dispose();

    /// <summary>Prepares the session (null: the child makes it), the child's arguments, when to kill it, the end state.</summary>
    public sealed record Case(
        string Name,
        bool NeedsRunningSession,
        Func<string?, string[]> ChildArgs,
        Func<CrashRecoveryTests, string, Task<bool>> KillWhen,
        string ExpectedState);

    public static readonly TheoryData<string> Cases = new(All.Select(c => c.Name));

    private static IEnumerable<Case> All =>
    [
        new("start, once the session is Starting", false, _ => ["session", "start", "two-hosts", "--user", "crash"],
            async (t, id) => await t.StateAsync(id) == "Starting", "Failed"),
        new("start, once a network exists", false, _ => ["session", "start", "two-hosts", "--user", "crash"],
            async (_, id) => (await PodmanAsync("network", "ls", "-q", "--filter", Label(id))).Length > 0, "Failed"),
        new("start, once a pod exists", false, _ => ["session", "start", "two-hosts", "--user", "crash"],
            async (_, id) => (await PodmanAsync("pod", "ps", "-q", "--filter", Label(id))).Length > 0, "Failed"),
        new("stop, once the session is Stopping", true, id => ["session", "stop", id!],
            async (t, id) => await t.StateAsync(id) == "Stopping", "Stopped"),
        // Killed after the reset removed the node's pod and before it made it again: a Running session missing a node.
        new("reset, once the node's pod is gone", true, id => ["session", "reset", id!, "--node", "client"],
            async (_, id) => (await PodmanAsync("pod", "ps", "-q", "--filter", Label(id))).Split('\n', StringSplitOptions.RemoveEmptyEntries).Length == 1, "Failed"),
    ];

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Reconcile_AfterLabctlWasKilled_LeavesNoOrphansAndATrueState(string name)
    {
        var crash = All.Single(c => c.Name == name);
        Assert.Equal(0, (await labctl.RunAsync("lab", "import", RepositoryRoot.Lab("two-hosts"))).ExitCode);
        string? sessionId = null;
        if (crash.NeedsRunningSession)
        {
            var started = await labctl.RunAsync("session", "start", "two-hosts", "--user", "crash", "--quiet");
            Assert.True(started.ExitCode == 0, started.ToString());
            sessionId = started.Out.Trim();
        }

        using var child = StartLabctl(crash.ChildArgs(sessionId));
        try
        {
            sessionId ??= await NewestSessionAsync();
            await WaitUntilAsync(() => crash.KillWhen(this, sessionId));
            child.Kill(entireProcessTree: true);
            await child.WaitForExitAsync(Ct);

            // Nothing else works on this database, so a heartbeat of any age is a dead one.
            var reconcile = await labctl.RunAsync("session", "reconcile", "--stale-after", "0s");

            Assert.True(reconcile.ExitCode == 0, reconcile.ToString());
            Assert.Equal(crash.ExpectedState, await StateAsync(sessionId));
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

    private Process StartLabctl(string[] args)
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

    private async Task<string> NewestSessionAsync()
    {
        string? id = null;
        await WaitUntilAsync(async () => (id = (await SessionsAsync()).LastOrDefault().Id) is not null);
        return id!;
    }

    private async Task<string?> StateAsync(string sessionId) =>
        (await SessionsAsync()).Where(s => s.Id == sessionId).Select(s => s.State).SingleOrDefault();

    private async Task<List<(string Id, string State)>> SessionsAsync()
    {
        var list = await labctl.RunAsync("session", "list", "--all", "--output", "json");
        if (list.ExitCode != 0)
        {
            // The child may be migrating the new database at this very moment.
            return [];
        }

        using var json = JsonDocument.Parse(list.Out);
        return json.RootElement.EnumerateArray().Select(s => (s.GetProperty("id").GetString()!, s.GetProperty("state").GetString()!)).ToList();
    }

    private static string Label(string sessionId) => $"label=lab-orchestrator.io/session={sessionId}";

    /// <summary>Everything Podman holds with the session's label, asked of Podman itself rather than of the engine.</summary>
    private static async Task<string> LeftoversAsync(string sessionId) =>
        string.Concat(
            await PodmanAsync("pod", "ps", "-q", "--filter", Label(sessionId)),
            await PodmanAsync("ps", "-aq", "--filter", Label(sessionId)),
            await PodmanAsync("network", "ls", "-q", "--filter", Label(sessionId)),
            await PodmanAsync("volume", "ls", "-q", "--filter", Label(sessionId))).Trim();

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
                throw new TimeoutException("The operation never reached the point to kill it at.");
            }

            await Task.Delay(20, Ct);
        }
    }
}
