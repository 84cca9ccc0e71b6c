using LabOrchestrator.Doctor;
using LabOrchestrator.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace LabOrchestrator.Kubernetes;

public static class KubernetesBuilderExtensions
{
    /// <summary>
    /// Adds the checks of a Kubernetes cluster to labctl doctor (API reachable, KubeVirt and Multus CRDs, RBAC). They
    /// run only when a cluster is configured (<see cref="KubernetesOptions.IsConfigured"/>). The Kubernetes engine
    /// itself is not built yet; it will register these with itself.
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
}
