using Microsoft.Extensions.DependencyInjection;

namespace LabOrchestrator.Hosting;

/// <summary>Returned by AddLabOrchestrator; engines and stores hang off it.</summary>
public sealed class LabOrchestratorBuilder(IServiceCollection services)
{
    public IServiceCollection Services { get; } = services;
}
