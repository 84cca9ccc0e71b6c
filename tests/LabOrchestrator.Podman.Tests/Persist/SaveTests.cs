using LabOrchestrator.Engines;

namespace LabOrchestrator.Podman.Tests.Persist;

[Collection(PodmanCollection.Name)]
public sealed class SaveTests
{
    [Fact]
    public async Task Save_ThenANewSessionFromTheImages_HasTheFiles_AndDeletingTheSaveRemovesTheImages()
    {
        using var engine = TestEngine.Create();
        var session = TestEngine.NewSessionId();
        var continued = TestEngine.NewSessionId();
        var saveId = "s" + Guid.NewGuid().ToString("N")[..10];
        var selector = new Dictionary<string, string> { [LabLabels.Saved] = saveId };
        var lab = PersistLabs.Pair();
        try
        {
            await engine.ApplyAsync(PersistLabs.Compile(lab, session, "tester"), null, TestEngine.Timeout());
            await PersistLabs.ShAsync(engine, session, "alpha", "echo saved > /root/notes.txt");

            var images = await engine.SaveAsync(session, new Dictionary<string, string>
            {
                [LabLabels.Persistent] = LabLabels.PersistentSaved,
                [LabLabels.Saved] = saveId,
                [LabLabels.User] = "tester",
                [LabLabels.Lab] = lab.Name,
            }, TestEngine.Timeout());
            await engine.DeleteAsync(session, TestEngine.Timeout());

            Assert.Equal(["alpha", "beta"], images.Keys.Order());
            Assert.Contains(saveId, await PodmanCli.RunAsync("images", "--filter", $"label={LabLabels.Saved}={saveId}", "--format", "{{.Tag}}"));
            var fromSave = lab with { Nodes = lab.Nodes.Select(n => n with { Image = images[n.Name] }).ToList() };
            await engine.ApplyAsync(PersistLabs.Compile(fromSave, continued, "tester"), null, TestEngine.Timeout());
            Assert.Equal("saved", await PersistLabs.ShAsync(engine, continued, "alpha", "cat /root/notes.txt"));

            // In use: refused; once the session is gone: removed.
            await Assert.ThrowsAsync<EngineException>(() => engine.DeletePersistentAsync(selector, TestEngine.Timeout()));
            await engine.DeleteAsync(continued, TestEngine.Timeout());
            await engine.DeletePersistentAsync(selector, TestEngine.Timeout());
            Assert.Empty((await PodmanCli.RunAsync("images", "--filter", $"label={LabLabels.Saved}={saveId}", "--format", "{{.ID}}")).Trim());
        }
        finally
        {
            await engine.DeleteAsync(session, TestEngine.Timeout());
            await engine.DeleteAsync(continued, TestEngine.Timeout());
            await engine.DeletePersistentAsync(selector, TestEngine.Timeout());
        }
    }
}
