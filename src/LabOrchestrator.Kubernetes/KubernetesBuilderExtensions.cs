using LabOrchestrator.Doctor;
using LabOrchestrator.Hosting;
using LabOrchestrator.Kubernetes.Engine;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LabOrchestrator.Kubernetes;

public static class KubernetesBuilderExtensions
{
    /// <summary>
    /// Adds the checks of a Kubernetes cluster to labctl doctor (API reachable, KubeVirt and Multus CRDs, RBAC). They
    /// run only when a cluster is configured (<see cref="KubernetesOptions.IsConfigured"/>).
    /// </summary>
    public static LabOrchestratorBuilder AddKubernetesChecks(this LabOrchestratorBuilder builder, Action<KubernetesOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = builder.Services.AddOptions<KubernetesOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostCheckSource, KubernetesHostChecks>());
        return builder;
    }

    /// <summary>
    /// Adds the Kubernetes engine as the keyed engine "kubernetes", with its doctor checks. It is listed among the
    /// engines only when a cluster is configured (a kubeconfig in <c>Kubernetes:Kubeconfig</c>, or the service account of
    /// the pod the server runs in); <c>Engine:Default=kubernetes</c> makes new sessions start there.
    /// </summary>
    public static LabOrchestratorBuilder AddKubernetesEngine(
        this LabOrchestratorBuilder builder, Action<KubernetesOptions>? configure = null, Action<KubernetesEngineOptions>? configureEngine = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.AddKubernetesChecks(configure);
        var engineOptions = builder.Services.AddOptions<KubernetesEngineOptions>();
        if (configureEngine is not null)
        {
            engineOptions.Configure(configureEngine);
        }

        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.AddEngine(
            KubernetesEngine.EngineName,
            provider =>
            {
                var configuration = provider.GetRequiredService<IOptions<KubernetesOptions>>().Value.ClientConfiguration();
                return new KubernetesEngine(
                    new k8s.Kubernetes(configuration),
                    new ClusterWebSockets(configuration),
                    provider.GetRequiredService<IOptions<KubernetesEngineOptions>>().Value,
                    provider.GetRequiredService<TimeProvider>(),
                    provider.GetRequiredService<ILogger<KubernetesEngine>>());
            },
            provider => provider.GetRequiredService<IOptions<KubernetesOptions>>().Value.IsConfigured);
        return builder;
    }
}
