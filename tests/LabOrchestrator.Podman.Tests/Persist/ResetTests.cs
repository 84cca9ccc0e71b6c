using LabOrchestrator.Engines;

namespace LabOrchestrator.Podman.Tests.Persist;

[Collection(PodmanCollection.Name)]
public sealed class ResetTests
{
    [Fact]
    public async Task ResetNode_RemovesFilesWrittenInIt_RunsItAgain_AndLeavesTheOtherNodeAlone()
    {
        using var engine = TestEngine.Create();
        var session = TestEngine.NewSessionId();
        var plan = PersistLabs.Compile(PersistLabs.Pair(), session, "tester");
        try
        {
            await engine.ApplyAsync(plan, null, TestEngine.Timeout());
            await PersistLabs.ShAsync(engine, session, "alpha", "echo mine > /root/notes.txt");
            await PersistLabs.ShAsync(engine, session, "beta", "echo theirs > /root/notes.txt");
            var betaStarted = await PodmanCli.RunAsync("inspect", "--format", "{{.State.StartedAt}}", PodmanNames.NodeContainer(session, "beta"));
            var reports = new List<NodeStatus>();

            await engine.ResetNodeAsync(plan, "alpha", new SynchronousProgress(reports), TestEngine.Timeout());

            Assert.NotEqual(0, await PersistLabs.ExitCodeAsync(engine, session, "alpha", "test -e /root/notes.txt"));
            Assert.Equal("theirs", await PersistLabs.ShAsync(engine, session, "beta", "cat /root/notes.txt"));
            Assert.Equal(betaStarted, await PodmanCli.RunAsync("inspect", "--format", "{{.State.StartedAt}}", PodmanNames.NodeContainer(session, "beta")));
            Assert.All(await engine.GetStatusAsync(session, TestEngine.Timeout()), s => Assert.Equal(NodeState.Running, s.State));
            Assert.All(reports, r => Assert.Equal("alpha", r.Node));
            Assert.Equal(NodeState.Creating, reports[0].State);
            Assert.Equal(NodeState.Running, reports[^1].State);
            // Still on the lab network: reaches the other node by name.
            await PersistLabs.ShAsync(engine, session, "alpha", "ping -c1 -W5 beta >/dev/null");
        }
        finally
        {
            await engine.DeleteAsync(session, TestEngine.Timeout());
        }

        Assert.Empty(await PodmanCli.LabelledAsync($"{LabLabels.Session}={session}"));
    }
}
