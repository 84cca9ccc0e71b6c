using LabOrchestrator.Doctor;
using LabOrchestrator.Engines;
using LabOrchestrator.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace LabOrchestrator.Podman;

public static class PodmanBuilderExtensions
{
    /// <summary>Adds the Podman engine as the keyed <see cref="ILabEngine"/> "podman".</summary>
    public static LabOrchestratorBuilder AddPodmanEngine(this LabOrchestratorBuilder builder, Action<PodmanEngineOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = builder.Services.AddOptions<PodmanEngineOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        options
            .Validate(o => o.SocketPath is null || o.SocketPath.Length > 0, "PodmanEngineOptions.SocketPath must be null (start a service) or a socket path.")
            .Validate(o => !string.IsNullOrWhiteSpace(o.ServiceSocketPath), "PodmanEngineOptions.ServiceSocketPath must be set.")
            .Validate(o => !string.IsNullOrWhiteSpace(o.PodmanPath), "PodmanEngineOptions.PodmanPath must be set.")
            .Validate(o => o.StartTimeout > TimeSpan.Zero && o.ServiceStartTimeout > TimeSpan.Zero, "PodmanEngineOptions timeouts must be positive.")
            .Validate(o => o.PidsLimit > 0, "PodmanEngineOptions.PidsLimit must be positive.")
            .Validate(o => IsQuantity(o.DefaultCpu) && IsQuantity(o.DefaultMemory), "PodmanEngineOptions.DefaultCpu and DefaultMemory must be Kubernetes quantities such as 1, 500m or 512Mi.")
            .ValidateOnStart();

        builder.Services.TryAddSingleton(TimeProvider.System);
        // Keyed by name: sessions started on Podman go to it whatever Engine:Default says later.
        builder.Services.AddOptions<EngineOptions>();
        builder.Services.TryAddSingleton<PodmanUse>();
        builder.AddEngine<PodmanEngine>(PodmanEngine.EngineName, provider => provider.GetRequiredService<PodmanUse>().IsUsed);
        // In this order: the service the image checks ask is started (or found broken) by the host checks.
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostCheckSource, PodmanHostChecks>());
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostCheckSource, PodmanImageChecks>());
        return builder;
    }

    private static bool IsQuantity(string? text)
    {
        try
        {
            return !string.IsNullOrWhiteSpace(text) && new k8s.Models.ResourceQuantity(text).ToDecimal() > 0;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
