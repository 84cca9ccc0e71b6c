using System.Text.Json;
using LabOrchestrator.Engines;

namespace LabOrchestrator.Podman.Tests;

[Collection(PodmanCollection.Name)]
public sealed class TwoSessionsTests(TwoSessionsFixture fixture)
{
    [Fact]
    public async Task Apply_TwoHosts_ClientReachesServerOfItsOwnSessionByNodeName()
    {
        foreach (var session in new[] { fixture.First, fixture.Second })
        {
            var result = await fixture.ShAsync(session, "client", "curl -sS --max-time 5 http://server/");
            Assert.Equal(0, result.ExitCode);
            Assert.Equal($"page of {session}", result.StandardOutput.Trim());
        }
    }

    [Fact]
    public async Task Apply_TwoSessionsOfSameLab_CannotReachEachOther()
    {
        var firstServer = await fixture.AddressAsync(fixture.First, "server");
        Assert.NotEmpty(firstServer);

        var byAddress = await fixture.ShAsync(fixture.Second, "client", $"curl -sS --max-time 3 http://{firstServer}/");
        Assert.NotEqual(0, byAddress.ExitCode);
        var ping = await fixture.ShAsync(fixture.Second, "client", $"ping -c 1 -W 2 {firstServer}");
        Assert.NotEqual(0, ping.ExitCode);
        var byPodName = await fixture.ShAsync(fixture.Second, "client", $"curl -sS --max-time 3 http://{PodmanNames.Pod(fixture.First, "server")}/");
        Assert.NotEqual(0, byPodName.ExitCode);
    }

    [Fact]
    public async Task Delete_OfAnotherSession_KeepsRunningSessionsIsolated()
    {
        // netavark 1.4 drops every network's isolation when one isolated network is torn down; the engine's own firewall rules keep holding.
        var third = TestEngine.NewSessionId();
        try
        {
            await fixture.Engine.ApplyAsync(TestLabs.Compile(TestLabs.Segmented() with { Nodes = [TestLabs.Idler("alice", "left")] }, third), null, TestEngine.Timeout());
        }
        finally
        {
            await fixture.Engine.DeleteAsync(third, TestEngine.Timeout());
        }

        var firstServer = await fixture.AddressAsync(fixture.First, "server");
        var ping = await fixture.ShAsync(fixture.Second, "client", $"ping -c 1 -W 2 {firstServer}");
        Assert.NotEqual(0, ping.ExitCode);
    }

    [Fact]
    public async Task Apply_NodeName_ResolvesToNodeOfOwnSession()
    {
        var secondServer = await fixture.AddressAsync(fixture.Second, "server");
        var resolved = await fixture.ShAsync(fixture.Second, "client", "getent hosts server | awk '{print $1}'");
        Assert.Equal(secondServer, resolved.StandardOutput.Trim());
        Assert.NotEqual(await fixture.AddressAsync(fixture.First, "server"), secondServer);
    }

    [Fact]
    public void Apply_ReportsCreatingStartingRunningForEveryNode()
    {
        foreach (var node in new[] { "server", "client" })
        {
            var states = fixture.Progress.Where(p => p.Node == node).Select(p => p.State).ToList();
            Assert.Equal([NodeState.Creating, NodeState.Starting, NodeState.Running], states);
        }
    }

    [Fact]
    public async Task Apply_Twice_IsIdempotentAndKeepsThePods()
    {
        var before = await PodIdsAsync(fixture.First);
        await fixture.Engine.ApplyAsync(fixture.FirstPlan, null, TestEngine.Timeout());
        Assert.Equal(before, await PodIdsAsync(fixture.First));
        Assert.Equal(2, before.Count);
    }

    [Fact]
    public async Task GetStatus_RunningSession_ReportsEveryNodeRunning()
    {
        var status = await fixture.Engine.GetStatusAsync(fixture.First, TestEngine.Timeout());
        Assert.Equal([new NodeStatus("client", NodeState.Running), new NodeStatus("server", NodeState.Running)], status);
    }

    [Fact]
    public async Task Apply_EverythingCarriesTheSessionLabels()
    {
        var resources = await fixture.Engine.ListAsync(new Dictionary<string, string> { [LabLabels.Session] = fixture.First }, TestEngine.Timeout());
        Assert.Equal(2, resources.Count(r => r.Kind == "pod"));
        Assert.Single(resources, r => r.Kind == "network");
        // kube play copies the pod's labels onto its containers.
        var container = Assert.Single(resources, r => r.Kind == "container" && r.Name == PodmanNames.NodeContainer(fixture.First, "server"));
        Assert.Equal("server", container.Labels[LabLabels.Node]);
        Assert.Equal("two-hosts", container.Labels[LabLabels.Lab]);
    }

    [Fact]
    public async Task Apply_HttpPortIsPublishedOnNoHostAddress_AndReachedOnTheNodesOwn()
    {
        var inspect = await PodmanCli.RunAsync("pod", "inspect", PodmanNames.Pod(fixture.First, "server"));
        using var document = JsonDocument.Parse(inspect);
        var root = document.RootElement.ValueKind == JsonValueKind.Array ? document.RootElement[0] : document.RootElement;
        Assert.True(!root.GetProperty("InfraConfig").TryGetProperty("PortBindings", out var bindings) || bindings.ValueKind != JsonValueKind.Object || !bindings.EnumerateObject().Any());

        var endpoint = await fixture.Engine.FindPortEndpointAsync(fixture.First, "server", 80, TestEngine.Timeout());
        Assert.NotNull(endpoint);
        Assert.Equal(await fixture.AddressAsync(fixture.First, "server"), endpoint.Address.ToString());
        using var http = new HttpClient();
        var page = await http.GetStringAsync($"http://{endpoint}/", TestEngine.Timeout(10));
        Assert.Equal($"page of {fixture.First}", page.Trim());
    }

    [Fact]
    public async Task Apply_SecretReferencesBecomePlainEnvironmentValues()
    {
        var result = await fixture.ShAsync(fixture.First, "server", "printf %s \"$LAB_CREDENTIAL_ADMIN_PASSWORD\"");
        Assert.Equal("s3cret-pass", result.StandardOutput);
    }

    [Fact]
    public async Task Exec_ReturnsExitCodeAndSeparateOutputs()
    {
        var result = await fixture.ShAsync(fixture.First, "client", "echo out; echo err >&2; exit 3");
        Assert.Equal(new ExecResult(3, "out\n", "err\n"), result);
    }

    [Fact]
    public async Task Exec_PastItsTimeout_ReportsTimedOutAndKillsTheCommand()
    {
        var result = await fixture.Engine.ExecAsync(fixture.First, "client", ["sh", "-c", "echo started; sleep 30"], TimeSpan.FromSeconds(1), TestEngine.Timeout());
        Assert.True(result.TimedOut);
        Assert.Equal(124, result.ExitCode);
        var left = await fixture.ShAsync(fixture.First, "client", "ps -eo args= | grep '^sleep 3[0]$' || true");
        Assert.Equal("", left.StandardOutput.Trim());
    }

    [Fact]
    public async Task Exec_UnknownNode_ThrowsEngineExceptionNamingIt()
    {
        var error = await Assert.ThrowsAsync<EngineException>(() => fixture.ShAsync(fixture.First, "nobody", "true"));
        Assert.Contains("'nobody'", error.Message);
    }

    private async Task<List<string>> PodIdsAsync(string session) =>
        (await PodmanCli.RunAsync("pod", "ps", "--filter", $"label={LabLabels.Session}={session}", "--format", "{{.Id}}"))
            .Split('\n', StringSplitOptions.RemoveEmptyEntries).Order().ToList();
}
