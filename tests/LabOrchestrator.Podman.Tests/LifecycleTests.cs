using LabOrchestrator.Engines;

namespace LabOrchestrator.Podman.Tests;

[Collection(PodmanCollection.Name)]
public sealed class LifecycleTests
{
    [Fact]
    public async Task Delete_LeavesNothingWithTheSessionLabel_AndTwiceIsFine()
    {
        using var engine = TestEngine.Create();
        var session = TestEngine.NewSessionId();
        var selector = new Dictionary<string, string> { [LabLabels.Session] = session };
        try
        {
            await engine.ApplyAsync(TestLabs.Compile(TestLabs.TwoHosts() with { Nodes = [.. TestLabs.TwoHosts().Nodes, TestLabs.Idler("loner")] }, session), null, TestEngine.Timeout());
            Assert.NotEmpty(await engine.ListAsync(selector, TestEngine.Timeout()));

            await engine.DeleteAsync(session, TestEngine.Timeout());

            Assert.Empty(await engine.ListAsync(selector, TestEngine.Timeout()));
            Assert.Empty(await PodmanCli.LabelledAsync($"{LabLabels.Session}={session}"));
            Assert.Empty(await engine.GetStatusAsync(session, TestEngine.Timeout()));
            await engine.DeleteAsync(session, TestEngine.Timeout());
        }
        finally
        {
            await engine.DeleteAsync(session, TestEngine.Timeout());
        }
    }

    [Fact]
    public async Task Delete_SeveralAtOnce_AllSucceed_AndLeaveNothing()
    {
        // A stop, the reconciler and a pool shrink may remove the same session at the same moment.
        using var engine = TestEngine.Create();
        var session = TestEngine.NewSessionId();
        try
        {
            await engine.ApplyAsync(TestLabs.Compile(TestLabs.TwoHosts(), session), null, TestEngine.Timeout());

            await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => engine.DeleteAsync(session, TestEngine.Timeout())));

            Assert.Empty(await PodmanCli.LabelledAsync($"{LabLabels.Session}={session}"));
        }
        finally
        {
            await engine.DeleteAsync(session, TestEngine.Timeout());
        }
    }

    [Fact]
    public async Task Delete_AfterApplyKilledHalfway_LeavesNothing()
    {
        using var engine = TestEngine.Create();
        var session = TestEngine.NewSessionId();
        var selector = new Dictionary<string, string> { [LabLabels.Session] = session };
        using var probe = ApplyProbe.Start(session);
        try
        {
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            while ((await engine.ListAsync(selector, deadline.Token)).All(r => r.Kind != "pod"))
            {
                Assert.False(probe.HasExited, $"The apply probe ended before creating a pod: {await probe.StandardError.ReadToEndAsync(deadline.Token)}");
                await Task.Delay(50, deadline.Token);
            }

            probe.Kill(entireProcessTree: true);
            await probe.WaitForExitAsync(deadline.Token);
            var leftovers = await engine.ListAsync(selector, deadline.Token);
            Assert.Contains(leftovers, r => r.Kind == "pod");

            await engine.DeleteAsync(session, deadline.Token);

            Assert.Empty(await engine.ListAsync(selector, deadline.Token));
            Assert.Empty(await PodmanCli.LabelledAsync($"{LabLabels.Session}={session}"));
        }
        finally
        {
            if (!probe.HasExited)
            {
                probe.Kill(entireProcessTree: true);
            }

            await engine.DeleteAsync(session, TestEngine.Timeout());
        }
    }
}
