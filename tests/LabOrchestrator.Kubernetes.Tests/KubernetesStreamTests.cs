using System.Text;
using k8s;
using LabOrchestrator.Compilation;
using LabOrchestrator.Engines;
using LabOrchestrator.Kubernetes.Engine;
using LabOrchestrator.Labs;
using Microsoft.Extensions.Logging.Abstractions;

namespace LabOrchestrator.Kubernetes.Tests;

/// <summary>
/// Commands, terminals, desktops and ports of the Kubernetes engine: the session's objects live in the real API server,
/// the streams (which need a kubelet and KubeVirt) come from <see cref="FakeKubeletStreams"/>.
/// </summary>
[Collection(ApiServerCollection.Name)]
public sealed class KubernetesStreamTests(ApiServerFixture cluster)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Exec_Command_ReturnsItsOutputErrorsAndExitCode_OverV5()
    {
        await using var lab = await LabAsync();

        var ok = await lab.Engine.ExecAsync(lab.SessionId, lab.Container, ["echo", "hello", "world"], TimeSpan.FromSeconds(30), Ct);
        var failed = await lab.Engine.ExecAsync(lab.SessionId, lab.Container, ["exit", "3"], TimeSpan.FromSeconds(30), Ct);

        Assert.Equal(new ExecResult(0, "hello world\n", "to stderr\n"), ok);
        Assert.Equal(3, failed.ExitCode);
        Assert.Equal(["v5.channel.k8s.io", "v5.channel.k8s.io"], lab.Streams.NegotiatedProtocols);
        Assert.Contains(lab.Streams.Requests, r => r.Contains($"/pods/{lab.Container}/exec?container=node&stdout=true&stderr=true&command=echo&command=hello&command=world", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Exec_ServerThatOnlySpeaksV4_FallsBackToIt()
    {
        await using var lab = await LabAsync();
        lab.Streams.ExecProtocols = ["v4.channel.k8s.io"];

        var result = await lab.Engine.ExecAsync(lab.SessionId, lab.Container, ["exit", "0"], TimeSpan.FromSeconds(30), Ct);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(["v4.channel.k8s.io"], lab.Streams.NegotiatedProtocols);
    }

    [Fact]
    public async Task Exec_CommandThatCannotStart_IsAnEngineErrorNamingTheNode_NotAnExitCode()
    {
        await using var lab = await LabAsync();

        var error = await Assert.ThrowsAsync<EngineException>(() => lab.Engine.ExecAsync(lab.SessionId, lab.Container, ["missing"], TimeSpan.FromSeconds(30), Ct));

        Assert.Contains($"node '{lab.Container}' could not run", error.Message, StringComparison.Ordinal);
        Assert.Contains("executable file not found", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Exec_CommandThatOutlivesItsTimeout_TimesOut_AndItsStreamIsClosed()
    {
        await using var lab = await LabAsync();

        var result = await lab.Engine.ExecAsync(lab.SessionId, lab.Container, ["sleep", "1000"], TimeSpan.FromMilliseconds(300), Ct);

        Assert.True(result.TimedOut);
        Assert.Equal("closed", await lab.Streams.StreamEnded.Task.WaitAsync(TimeSpan.FromSeconds(30), Ct));
    }

    [Fact]
    public async Task Terminal_EchoesTypedKeys_SendsItsSize_AndClosingEndsTheStream()
    {
        await using var lab = await LabAsync();

        var terminal = await lab.Engine.OpenTerminalAsync(lab.SessionId, lab.Container, new TerminalOptions { Columns = 120, Rows = 40, User = "learner" }, Ct);
        await terminal.Input.WriteAsync("ls -la\r"u8.ToArray(), Ct);
        var echoed = await ReadAtLeastAsync(terminal.Output, "ls -la\r".Length);
        await terminal.ResizeAsync(100, 30, Ct);
        await terminal.Input.WriteAsync("x"u8.ToArray(), Ct);
        await ReadAtLeastAsync(terminal.Output, 1);
        await terminal.DisposeAsync();

        Assert.Equal("ls -la\r", echoed);
        Assert.Equal(["{\"Width\":120,\"Height\":40}", "{\"Width\":100,\"Height\":30}"], lab.Streams.Resizes);
        Assert.Contains(lab.Streams.Requests, r => r.Contains("stdin=true&tty=true&command=%2Fbin%2Fsh&command=-c", StringComparison.Ordinal) && r.EndsWith("&command=sh&command=learner", StringComparison.Ordinal));
        Assert.Equal("closed", await lab.Streams.StreamEnded.Task.WaitAsync(TimeSpan.FromSeconds(30), Ct));
    }

    [Fact]
    public async Task VmNode_TerminalIsItsSerialConsole_AndDesktopItsVnc_OverPlainKubeVirt()
    {
        await using var lab = await LabAsync();

        await using (var console = await lab.Engine.OpenTerminalAsync(lab.SessionId, lab.Vm, new TerminalOptions(), Ct))
        {
            await console.Input.WriteAsync("root\n"u8.ToArray(), Ct);
            Assert.Equal("root\n", await ReadAtLeastAsync(console.Output, 5));
        }

        await using var desktop = await lab.Engine.OpenDesktopAsync(lab.SessionId, lab.Vm, Ct);
        Assert.Equal("RFB 003.008\n", await ReadAtLeastAsync(desktop, 12));
        Assert.Contains(lab.Streams.Requests, r => r == $"/apis/subresources.kubevirt.io/v1/namespaces/lab-{lab.SessionId}/virtualmachineinstances/{lab.Vm}/console");
        Assert.Contains(lab.Streams.Requests, r => r == $"/apis/subresources.kubevirt.io/v1/namespaces/lab-{lab.SessionId}/virtualmachineinstances/{lab.Vm}/vnc");
        await Assert.ThrowsAsync<EngineException>(() => lab.Engine.ExecAsync(lab.SessionId, lab.Vm, ["true"], TimeSpan.FromSeconds(5), Ct));
    }

    [Fact]
    public async Task PortStream_CarriesBytesBothWays_WithoutThePortPrefix_AndAContainersDesktopIsItsVncPort()
    {
        await using var lab = await LabAsync();

        await using (var port = await lab.Engine.OpenPortStreamAsync(lab.SessionId, lab.Container, 8080, Ct) ?? throw new InvalidOperationException("No stream."))
        {
            await port.WriteAsync("GET / HTTP/1.1\r\n\r\n"u8.ToArray(), Ct);
            Assert.Equal("GET / HTTP/1.1\r\n\r\n", await ReadAtLeastAsync(port, 18));
        }

        await using var desktop = await lab.Engine.OpenDesktopAsync(lab.SessionId, lab.Container, Ct);
        Assert.Contains(lab.Streams.Requests, r => r == $"/api/v1/namespaces/lab-{lab.SessionId}/pods/{lab.Container}/portforward?ports=8080");
        Assert.Contains(lab.Streams.Requests, r => r == $"/api/v1/namespaces/lab-{lab.SessionId}/pods/{lab.Container}/portforward?ports=5900");
    }

    [Fact]
    public async Task Streams_WithWrongCredentials_AreRefusedAsAnEngineError()
    {
        await using var lab = await LabAsync(token: "not-the-token");

        var error = await Assert.ThrowsAsync<EngineException>(() => lab.Engine.ExecAsync(lab.SessionId, lab.Container, ["echo"], TimeSpan.FromSeconds(5), Ct));

        Assert.Contains("refused the stream", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\"status\":\"Success\"}", 0)]
    [InlineData("{\"status\":\"Failure\",\"reason\":\"NonZeroExitCode\",\"details\":{\"causes\":[{\"reason\":\"ExitCode\",\"message\":\"127\"}]}}", 127)]
    public void ExitCode_FromExecStatus(string status, int expected) => Assert.Equal(expected, KubernetesEngine.ExitCode(status, "n"));

    private static async Task<string> ReadAtLeastAsync(Stream stream, int count)
    {
        var buffer = new byte[count];
        await stream.ReadExactlyAsync(buffer, Ct).AsTask().WaitAsync(TimeSpan.FromSeconds(30), Ct);
        return Encoding.UTF8.GetString(buffer);
    }

    private async Task<RunningLab> LabAsync(string? token = null)
    {
        cluster.RequireApiServer();
        await cluster.EnsureKubeVirtCrdsAsync(Ct);
        var streams = await FakeKubeletStreams.StartAsync(Ct);
        var admin = cluster.Admin();
        var plan = KubernetesEngineTests.Plan("vm-and-container");
        var applying = KubernetesEngineTests.Engine(cluster, admin);
        using (var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct))
        {
            var kubelet = new FakeKubelet(admin).RunAsync(plan.Namespace.Metadata.Name, stop.Token);
            await applying.ApplyAsync(plan, null, Ct).WaitAsync(TimeSpan.FromMinutes(2), Ct);
            await stop.CancelAsync();
            await kubelet;
        }

        var configuration = new KubernetesClientConfiguration { Host = streams.Address.ToString(), AccessToken = token ?? streams.Token };
        var engine = new KubernetesEngine(admin, new ClusterWebSockets(configuration), new KubernetesEngineOptions(), TimeProvider.System, NullLogger<KubernetesEngine>.Instance);
        return new RunningLab(engine, applying, admin, streams, plan);
    }

    private sealed record RunningLab(KubernetesEngine Engine, KubernetesEngine Applying, IKubernetes Admin, FakeKubeletStreams Streams, CompiledPlan Plan) : IAsyncDisposable
    {
        public string SessionId => Plan.SessionId;
        public string Container => Plan.Nodes.First(n => n.Kind != NodeKind.Vm).Name;
        public string Vm => Plan.Nodes.First(n => n.Kind == NodeKind.Vm).Name;

        public async ValueTask DisposeAsync()
        {
            await Applying.DeleteAsync(SessionId, CancellationToken.None);
            await Streams.DisposeAsync();
            Admin.Dispose();
        }
    }
}
