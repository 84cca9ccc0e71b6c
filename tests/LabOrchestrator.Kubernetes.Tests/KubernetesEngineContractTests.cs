using k8s;
using LabOrchestrator.Compilation;
using LabOrchestrator.Engines;
using LabOrchestrator.Kubernetes.Engine;
using LabOrchestrator.Testing.EngineContract;
using Microsoft.Extensions.Logging.Abstractions;

namespace LabOrchestrator.Kubernetes.Tests;

/// <summary>
/// The engine contract on the Kubernetes engine: every object in the real API server; what a kubelet does (pods
/// Running, an image that cannot be pulled, exec, terminal and port-forward streams) played by <see cref="FakeKubelet"/>
/// and <see cref="FakeKubeletStreams"/>.
/// </summary>
[Collection(ApiServerCollection.Name)]
public sealed class KubernetesEngineContractTests(ApiServerFixture cluster) : EngineContractTests(new KubernetesEngineContractDriver(cluster));

internal sealed class KubernetesEngineContractDriver(ApiServerFixture cluster) : EngineContractDriver
{
    private k8s.Kubernetes? admin;
    private FakeKubeletStreams? streams;
    private KubernetesEngine? engine;

    public override ILabEngine Engine => engine ?? throw new InvalidOperationException("Not initialized.");

    /// <summary>No kubelet pulls it; the fake kubelet runs any image but <see cref="ContractLab.MissingImage"/>.</summary>
    public override string Image => "localhost/lab-base:latest";

    /// <summary>Kubernetes forwards any port of a pod; the kubelet says on the error channel that nothing listens there.</summary>
    public override UnofferedPortOutcome UnofferedPort => UnofferedPortOutcome.EngineExceptionOnRead;

    public override async ValueTask InitializeAsync()
    {
        cluster.RequireApiServer();
        admin = cluster.Admin();
        streams = await FakeKubeletStreams.StartAsync(TestContext.Current.CancellationToken);
        streams.ListeningPorts = new HashSet<int> { ContractLab.EchoPort };
        var sockets = new ClusterWebSockets(new KubernetesClientConfiguration { Host = streams.Address.ToString(), AccessToken = streams.Token });
        engine = new KubernetesEngine(admin, sockets, new KubernetesEngineOptions { ResyncPeriod = TimeSpan.FromSeconds(1) }, TimeProvider.System, NullLogger<KubernetesEngine>.Instance);
    }

    public override string NewSessionId() => "k" + Guid.NewGuid().ToString("N")[..10];

    public override async Task ApplyAsync(CompiledPlan plan, CancellationToken cancellationToken)
    {
        var kubelet = new FakeKubelet(admin!)
        {
            PodStatus = pod => pod.Spec.Containers[0].Image == ContractLab.MissingImage
                ? FakeKubelet.Waiting("ImagePullBackOff", $"Back-off pulling image \"{ContractLab.MissingImage}\"")
                : FakeKubelet.Running(),
        };
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var running = kubelet.RunAsync(plan.Namespace.Metadata.Name, stop.Token);
        try
        {
            await Engine.ApplyAsync(plan, null, cancellationToken).WaitAsync(TimeSpan.FromMinutes(2), cancellationToken);
        }
        finally
        {
            await stop.CancelAsync();
            await running;
        }
    }

    public override async Task AssertTerminalEndedAsync(string sessionId, string node, CancellationToken cancellationToken) =>
        Assert.Equal("closed", await streams!.StreamEnded.Task.WaitAsync(TimeSpan.FromSeconds(30), cancellationToken));

    public override async ValueTask DisposeAsync()
    {
        if (streams is not null)
        {
            await streams.DisposeAsync();
        }

        admin?.Dispose();
    }
}
