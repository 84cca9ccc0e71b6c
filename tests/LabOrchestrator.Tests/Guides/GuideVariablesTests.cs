using LabOrchestrator.Engines;
using LabOrchestrator.Guides;
using LabOrchestrator.Sessions;

namespace LabOrchestrator.Tests.Guides;

public sealed class GuideVariablesTests
{
    private static readonly Guide Guide = new()
    {
        Title = "T",
        Folder = "/tmp",
        Pages = [],
        Variables = new Dictionary<string, string> { ["greeting"] = "Hello" },
    };

    private static readonly Session Session = new()
    {
        Id = "s-123",
        LabName = "demo",
        UserId = "alice",
        UserDisplayName = "Alice Liddell",
        Engine = "podman",
        State = SessionState.Running,
        CreatedAt = DateTimeOffset.UnixEpoch,
        Nodes = [new NodeStatus("server", NodeState.Running), new NodeStatus("client", NodeState.Running)],
        Credentials = [new SessionCredential("server", "learner", "learner", "p&ss<word>")],
    };

    [Fact]
    public void For_Session_DefinesUserSessionNodesCredentialsAndGuideVariables()
    {
        var variables = GuideVariables.For(Guide, Session, new Dictionary<string, string> { ["client"] = "10.0.0.2" });

        Assert.Equal(
            "Alice Liddell s-123 server 10.0.0.2 learner p&ss<word> Hello",
            variables.Substitute("{{ user.name }} {{ session.id }} {{ nodes.server.host }} {{ nodes.client.host }} {{ credentials.learner.username }} {{ credentials.learner.password }} {{ greeting }}"));
    }

    [Fact]
    public void SubstituteInHtml_EscapesValues_AndLeavesUnknownVariables()
    {
        var variables = GuideVariables.For(Guide, Session);

        Assert.Equal("p&amp;ss&lt;word&gt; {{ credentials.root.password }} {{nope}}",
            variables.SubstituteInHtml("{{credentials.learner.password}} {{ credentials.root.password }} {{nope}}"));
    }

    [Fact]
    public void For_SessionWithoutDisplayName_UsesTheUserId()
    {
        var variables = GuideVariables.For(Guide, Session with { UserDisplayName = null });

        Assert.Equal("alice", variables.Substitute("{{ user.name }}"));
    }

    [Theory]
    [InlineData("greeting", true)]
    [InlineData("my_var-2", true)]
    [InlineData("user", false)]
    [InlineData("session.id", false)]
    [InlineData("nodes.x", false)]
    [InlineData("has space", false)]
    public void IsValidGuideVariableName_ReservesBuiltInNames(string name, bool valid) =>
        Assert.Equal(valid, GuideVariables.IsValidGuideVariableName(name));
}
