using LabOrchestrator.Compilation;
using LabOrchestrator.Engines;

namespace LabOrchestrator.Podman.Tests.Persist;

[Collection(PodmanCollection.Name)]
public sealed class StorageTests
{
    [Fact]
    public async Task Storage_NextSessionOfTheSameLearnerFindsTheFile_AnotherLearnerNeverDoes()
    {
        using var engine = TestEngine.Create();
        var alice = "alice-" + Guid.NewGuid().ToString("N")[..6];
        var bob = "bob-" + Guid.NewGuid().ToString("N")[..6];
        var first = TestEngine.NewSessionId();
        var second = TestEngine.NewSessionId();
        var other = TestEngine.NewSessionId();
        var lab = PersistLabs.Pair(storage: true);
        try
        {
            await engine.ApplyAsync(PersistLabs.Compile(lab, first, alice), null, TestEngine.Timeout());
            await PersistLabs.ShAsync(engine, first, "alpha", $"echo kept > {PersistLabs.Folder}/notes.txt");
            await engine.DeleteAsync(first, TestEngine.Timeout());

            var volumes = await engine.ListAsync(new Dictionary<string, string> { [LabLabels.Persistent] = LabLabels.PersistentStorage, [LabLabels.User] = alice }, TestEngine.Timeout());
            var volume = Assert.Single(volumes);
            Assert.Equal(PersistentNames.StorageClaim(alice, lab.Name, "alpha", PersistLabs.Folder), volume.Name);
            Assert.False(volume.Labels.ContainsKey(LabLabels.Session));
            Assert.Equal(PersistLabs.Folder, volume.Labels[LabLabels.StoragePath]);

            await engine.ApplyAsync(PersistLabs.Compile(lab, second, alice), null, TestEngine.Timeout());
            await engine.ApplyAsync(PersistLabs.Compile(lab, other, bob), null, TestEngine.Timeout());

            Assert.Equal("kept", await PersistLabs.ShAsync(engine, second, "alpha", $"cat {PersistLabs.Folder}/notes.txt"));
            Assert.NotEqual(0, await PersistLabs.ExitCodeAsync(engine, other, "alpha", $"test -e {PersistLabs.Folder}/notes.txt"));

            // Kept through a reset of the node, too.
            await engine.ResetNodeAsync(PersistLabs.Compile(lab, second, alice), "alpha", null, TestEngine.Timeout());
            Assert.Equal("kept", await PersistLabs.ShAsync(engine, second, "alpha", $"cat {PersistLabs.Folder}/notes.txt"));

            // A mounted volume is refused, not forced.
            var mine = new Dictionary<string, string> { [LabLabels.Persistent] = LabLabels.PersistentStorage, [LabLabels.User] = alice };
            await Assert.ThrowsAsync<EngineException>(() => engine.DeletePersistentAsync(mine, TestEngine.Timeout()));
            await engine.DeleteAsync(second, TestEngine.Timeout());
            await engine.DeletePersistentAsync(mine, TestEngine.Timeout());
            Assert.Empty(await engine.ListAsync(mine, TestEngine.Timeout()));
        }
        finally
        {
            foreach (var session in new[] { first, second, other })
            {
                await engine.DeleteAsync(session, TestEngine.Timeout());
            }

            foreach (var user in new[] { alice, bob })
            {
                await engine.DeletePersistentAsync(new Dictionary<string, string> { [LabLabels.User] = user }, TestEngine.Timeout());
            }
        }
    }
}
