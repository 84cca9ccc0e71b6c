using System.Diagnostics;
using LabOrchestrator.Cli.Tests.Support;

namespace LabOrchestrator.Cli.Tests.Commands;

/// <summary>
/// SIGKILL of a labctl process at points of an operation, then one <c>labctl session reconcile</c>: the session is in a
/// true state and Podman holds what that state says — nothing with the session's label once it is Failed or Stopped
/// (so no quota counts it), every node's pod running or every one paused once it is Running or Paused.
/// A case is an operation run in a child labctl, the observable point to kill it at, and what it must end in.
/// </summary>
[Collection(CrashRecoveryCollection.Name)]
public sealed partial class CrashRecoveryTests : IDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromMinutes(2);
    private readonly Labctl labctl = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => labctl.Dispose();

    /// <summary>The session a case's operation works on: none (the child makes it), one Running, or one Paused.</summary>
    public enum Prepared
    {
        Nothing,
        Running,
        Paused,
    }

    /// <summary>What Podman must hold of the session after the reconcile.</summary>
    public enum Leftovers
    {
        None,
        AllPodsRunning,
        AllPodsPaused,
    }

    /// <summary>
    /// Prepares the session, the child's arguments, when to kill it, the end state and what Podman holds then.
    /// <paramref name="HoldsWrites"/>: the operation is too quick to catch between the engine's work and the row's change
    /// (pause, resume), so the test holds the database's write lock from the moment the child leased the session.
    /// </summary>
    public sealed record Case(
        string Name,
        Prepared Before,
        Func<string?, string[]> ChildArgs,
        Func<CrashRecoveryTests, string, Task<bool>> KillWhen,
        string ExpectedState,
        Leftovers Expected = Leftovers.None,
        bool HoldsWrites = false);

    public static readonly TheoryData<string> Cases = new(All.Select(c => c.Name));

    private static IEnumerable<Case> All =>
    [
        new("start, once the session is Starting", Prepared.Nothing, _ => ["session", "start", "two-hosts", "--user", "crash"],
            async (t, id) => await t.StateAsync(id) == "Starting", "Failed"),
        new("start, once a network exists", Prepared.Nothing, _ => ["session", "start", "two-hosts", "--user", "crash"],
            async (_, id) => (await PodmanAsync("network", "ls", "-q", "--filter", Label(id))).Length > 0, "Failed"),
        new("start, once a pod exists", Prepared.Nothing, _ => ["session", "start", "two-hosts", "--user", "crash"],
            async (_, id) => (await PodmanAsync("pod", "ps", "-q", "--filter", Label(id))).Length > 0, "Failed"),
        new("stop, once the session is Stopping", Prepared.Running, id => ["session", "stop", id!],
            async (t, id) => await t.StateAsync(id) == "Stopping", "Stopped"),
        // Killed after the reset removed the node's pod and before it made it again: a Running session missing a node.
        new("reset, once the node's pod is gone", Prepared.Running, id => ["session", "reset", id!, "--node", "client"],
            async (_, id) => (await PodmanAsync("pod", "ps", "-q", "--filter", Label(id))).Split('\n', StringSplitOptions.RemoveEmptyEntries).Length == 1, "Failed"),
        // Killed with a pod frozen under a Running row: the row is the truth, so every node runs again.
        new("pause, once a pod is paused", Prepared.Running, id => ["session", "pause", id!],
            async (_, id) => (await PodStatusesAsync(id)).Contains("Paused"), "Running", Leftovers.AllPodsRunning, HoldsWrites: true),
        // Killed with a pod thawed under a Paused row: every node is frozen again.
        new("resume, once a pod is running again", Prepared.Paused, id => ["session", "resume", id!],
            async (_, id) => (await PodStatusesAsync(id)).Contains("Running"), "Paused", Leftovers.AllPodsPaused, HoldsWrites: true),
    ];

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Reconcile_AfterLabctlWasKilled_LeavesNoOrphansAndATrueState(string name)
    {
        var crash = All.Single(c => c.Name == name);
        Assert.Equal(0, (await labctl.RunAsync("lab", "import", RepositoryRoot.Lab("two-hosts"))).ExitCode);
        string? sessionId = null;
        Process? child = null;
        try
        {
            if (crash.Before != Prepared.Nothing)
            {
                var started = await labctl.RunAsync("session", "start", "two-hosts", "--user", "crash", "--quiet");
                Assert.True(started.ExitCode == 0, started.ToString());
                sessionId = started.Out.Trim();
            }

            if (crash.Before == Prepared.Paused)
            {
                var paused = await labctl.RunAsync("session", "pause", sessionId!);
                Assert.True(paused.ExitCode == 0, paused.ToString());
            }

            // A child that finished before the write lock was taken proves nothing: put the session back and try again.
            for (var attempt = 1; ; attempt++)
            {
                child = StartLabctl(crash.ChildArgs(sessionId));
                sessionId ??= await NewestSessionAsync();
                var held = crash.HoldsWrites ? await HoldWritesOnceLeasedAsync(sessionId, crash.Before.ToString()) : null;
                if (crash.HoldsWrites && held is null && attempt < 5)
                {
                    TestContext.Current.TestOutputHelper?.WriteLine($"Attempt {attempt}: the child finished before the lock; again.");
                    await child.WaitForExitAsync(Ct);
                    child.Dispose();
                    var back = await labctl.RunAsync("session", crash.Before == Prepared.Paused ? "pause" : "resume", sessionId);
                    Assert.True(back.ExitCode == 0, back.ToString());
                    continue;
                }

                Assert.False(crash.HoldsWrites && held is null, "The child finished before the kill point five times in a row.");
                try
                {
                    await WaitUntilAsync(() => crash.KillWhen(this, sessionId));
                    child.Kill(entireProcessTree: true);
                    await child.WaitForExitAsync(Ct);
                }
                finally
                {
                    await ReleaseAsync(held);
                }

                break;
            }

            // Nothing else works on this database, so a heartbeat of any age is a dead one.
            var reconcile = await labctl.RunAsync("session", "reconcile", "--stale-after", "0s");

            Assert.True(reconcile.ExitCode == 0, reconcile.ToString());
            Assert.Equal(crash.ExpectedState, await StateAsync(sessionId));
            switch (crash.Expected)
            {
                case Leftovers.None:
                    Assert.Empty(await LeftoversAsync(sessionId));
                    break;
                case Leftovers.AllPodsRunning:
                    Assert.Equal(["Running", "Running"], await PodStatusesAsync(sessionId));
                    break;
                case Leftovers.AllPodsPaused:
                    Assert.Equal(["Paused", "Paused"], await PodStatusesAsync(sessionId));
                    break;
            }
        }
        finally
        {
            if (child is { HasExited: false })
            {
                child.Kill(entireProcessTree: true);
            }

            child?.Dispose();
            if (sessionId is not null)
            {
                await labctl.RunAsync("session", "stop", sessionId);
            }
        }
    }
}
