using LabOrchestrator.Engines;
using LabOrchestrator.Labs;
using LabOrchestrator.Sessions;
using LabOrchestrator.Users;

namespace LabOrchestrator.Podman.Tests.Sessions;

[Collection("Podman sessions")]
public sealed class SessionLifecycleTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Start_TwoHosts_RunsBothNodesAndTheClientReachesTheServerByName()
    {
        await using var host = await SessionHost.StartAsync(Ct);
        await host.Catalog.AddAsync(LabSource.FromPath(RepositoryRoot.Lab("two-hosts")), Ct);
        var reported = new List<NodeStatus>();

        var session = await host.Sessions.StartAsync("two-hosts", new UserRef("alice", "Alice"), new SyncProgress<NodeStatus>(reported.Add), Ct);

        Assert.Equal(SessionState.Running, session.State);
        Assert.Null(session.FailureReason);
        Assert.Equal(["server", "client"], session.Nodes.Select(n => n.Node));
        Assert.All(session.Nodes, n => Assert.Equal(NodeState.Running, n.State));
        Assert.Contains(reported, s => s is { Node: "client", State: NodeState.Running });
        var page = await host.Sessions.ExecAsync(session.Id, "client", ["curl", "-sS", "--retry", "20", "--retry-connrefused", "--retry-delay", "1", "http://server/"], TimeSpan.FromSeconds(60), Ct);
        Assert.Equal(0, page.ExitCode);
        Assert.Contains($"Session {session.Id}", page.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_GeneratedPassword_IsSetForTheUserInsideTheNode()
    {
        await using var host = await SessionHost.StartAsync(Ct);
        await host.Catalog.AddAsync(LabSource.FromPath(RepositoryRoot.Lab("hello-linux")), Ct);

        var session = await host.Sessions.StartAsync("hello-linux", new UserRef("bob"), cancellationToken: Ct);

        var credential = Assert.Single(session.Credentials);
        Assert.Equal(("linux", "learner", "learner"), (credential.Node, credential.Name, credential.Username));
        Assert.Equal(16, credential.Password.Length);
        // The password works: it matches the hash the node keeps for the learner, and a wrong one does not.
        string[] verify = ["sh", "-c", "h=$(getent shadow learner | cut -d: -f2); perl -e 'exit(crypt($ARGV[0], $ARGV[1]) eq $ARGV[1] ? 0 : 1)' \"$1\" \"$h\"", "verify"];
        var right = await host.Sessions.ExecAsync(session.Id, "linux", [.. verify, credential.Password], TimeSpan.FromSeconds(30), Ct);
        var wrong = await host.Sessions.ExecAsync(session.Id, "linux", [.. verify, credential.Password + "x"], TimeSpan.FromSeconds(30), Ct);
        Assert.Equal((0, 1), (right.ExitCode, wrong.ExitCode));
        var other = await host.Sessions.StartAsync("hello-linux", new UserRef("carol"), cancellationToken: Ct);
        Assert.NotEqual(credential.Password, Assert.Single(other.Credentials).Password);
    }

    [Fact]
    public async Task Stop_RunningSession_LeavesNothingAndIsRecorded()
    {
        await using var host = await SessionHost.StartAsync(Ct);
        await host.Catalog.AddAsync(LabSource.FromPath(RepositoryRoot.Lab("two-hosts")), Ct);
        var session = await host.Sessions.StartAsync("two-hosts", new UserRef("dave"), cancellationToken: Ct);
        Assert.NotEmpty(await host.Engine.ListAsync(Selector(session.Id), Ct));

        var stopped = await host.Sessions.StopAsync(session.Id, Ct);
        var again = await host.Sessions.StopAsync(session.Id, Ct);

        Assert.Equal(SessionState.Stopped, stopped.State);
        Assert.Equal(SessionState.Stopped, again.State);
        Assert.Empty(await host.Engine.ListAsync(Selector(session.Id), Ct));
        Assert.Empty(await host.Sessions.ListAsync(new SessionQuery { UserId = "dave", ActiveOnly = true }, Ct));
        Assert.Single(await host.Sessions.ListAsync(new SessionQuery { UserId = "dave" }, Ct));
    }

    [Fact]
    public async Task Start_ImageThatDoesNotExist_FailsAsTheHostsProblemWithTheFixAndLeavesNothing()
    {
        await using var host = await SessionHost.StartAsync(Ct);
        await host.Catalog.AddAsync(new LabSource("""
            name: broken
            nodes:
              - name: box
                image: localhost/no-such-image:latest
            """, "broken.yaml", null), Ct);

        var session = await host.Sessions.StartAsync("broken", new UserRef("erin"), cancellationToken: Ct);

        Assert.Equal(SessionState.Failed, session.State);
        // Learners read a plain sentence, never the engine's words; instructors and admins read both and the fix.
        Assert.Equal(SessionFailure.HostReason, session.FailureReason);
        Assert.Contains("no-such-image", session.FailureDetail, StringComparison.Ordinal);
        Assert.Contains("Fix: the lab's image is not on this host", session.FailureDetail, StringComparison.Ordinal);
        Assert.Empty(await host.Engine.ListAsync(Selector(session.Id), Ct));
    }

    [Fact]
    public async Task List_FiltersByUserAndLab()
    {
        await using var host = await SessionHost.StartAsync(Ct);
        await host.Catalog.AddAsync(LabSource.FromPath(RepositoryRoot.Lab("hello-linux")), Ct);
        var mine = await host.Sessions.CreateAsync("hello-linux", new UserRef("frank", "Frank"), Ct);
        await host.Sessions.CreateAsync("hello-linux", new UserRef("grace"), Ct);

        var list = await host.Sessions.ListAsync(new SessionQuery { UserId = "frank" }, Ct);

        var only = Assert.Single(list);
        Assert.Equal((mine.Id, "Frank", SessionState.Pending), (only.Id, only.UserDisplayName, only.State));
        Assert.Equal(2, (await host.Sessions.ListAsync(new SessionQuery { LabName = "hello-linux" }, Ct)).Count);
        await Assert.ThrowsAsync<LabNotFoundException>(() => host.Sessions.CreateAsync("nope", new UserRef("frank"), Ct));
    }

    private static Dictionary<string, string> Selector(string sessionId) => new() { [LabLabels.Session] = sessionId };

    /// <summary>Reports on the caller's thread, unlike Progress&lt;T&gt;, so the list is complete when the call returns.</summary>
    private sealed class SyncProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
