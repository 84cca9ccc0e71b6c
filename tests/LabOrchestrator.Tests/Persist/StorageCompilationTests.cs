using LabOrchestrator.Compilation;
using LabOrchestrator.Engines;
using LabOrchestrator.Labs;

namespace LabOrchestrator.Tests.Persist;

/// <summary>Storage compiles to persistentVolumeClaim volumes named per learner, lab, node and folder.</summary>
public sealed class StorageCompilationTests
{
    private static readonly LabDefinition Lab = new()
    {
        Name = "notebook",
        Nodes =
        [
            new NodeDefinition { Name = "desk", Image = "localhost/lab-base:latest", Storage = [new StorageDefinition("/home/learner/work")] },
            new NodeDefinition { Name = "other", Image = "localhost/lab-base:latest" },
        ],
    };

    private static CompiledPlan Compile(string session, string user) => LabCompiler.Compile(Lab, new SessionContext(session, user, []));

    [Fact]
    public void Compile_Storage_IsAClaimVolumeMountedOnTheFolder_WithoutTheSessionLabel()
    {
        var node = Compile("s1", "alice").GetNode("desk");

        var storage = Assert.Single(node.Storage);
        var volume = Assert.Single(node.Pod.Spec.Volumes!, v => v.PersistentVolumeClaim is not null);
        Assert.Equal(storage.ClaimName, volume.PersistentVolumeClaim.ClaimName);
        Assert.Equal("/home/learner/work", Assert.Single(node.Pod.Spec.Containers[0].VolumeMounts!, m => m.Name == volume.Name).MountPath);
        Assert.False(storage.Labels.ContainsKey(LabLabels.Session));
        Assert.Equal(LabLabels.PersistentStorage, storage.Labels[LabLabels.Persistent]);
        Assert.Equal("alice", storage.Labels[LabLabels.User]);
        Assert.Equal("notebook", storage.Labels[LabLabels.Lab]);
        Assert.Equal("desk", storage.Labels[LabLabels.Node]);
        Assert.Empty(Compile("s1", "alice").GetNode("other").Storage);
    }

    [Fact]
    public void ClaimName_IsTheSameForEverySessionOfALearner_AndDiffersForAnother()
    {
        var first = Compile("s1", "alice").GetNode("desk").Storage[0].ClaimName;

        Assert.Equal(first, Compile("s2", "ALICE").GetNode("desk").Storage[0].ClaimName);
        Assert.NotEqual(first, Compile("s3", "bob").GetNode("desk").Storage[0].ClaimName);
        Assert.Matches("^lo-store-[0-9a-f]{24}$", first);
    }

    [Theory]
    [InlineData("alice", "alice")]
    [InlineData("Alice.Smith", "alice.smith")]
    public void UserLabel_IsTheIdWhenItIsAValidLabelValue(string user, string label) => Assert.Equal(label, PersistentNames.UserLabel(user));

    [Theory]
    [InlineData("alice@example.com")]
    [InlineData("a user with spaces")]
    [InlineData("-starts-with-dash")]
    public void UserLabel_IsAHashOtherwise(string user) => Assert.Matches("^u-[0-9a-f]{32}$", PersistentNames.UserLabel(user));
}
