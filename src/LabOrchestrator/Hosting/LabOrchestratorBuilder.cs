using LabOrchestrator.Engines;
using Microsoft.Extensions.DependencyInjection;

namespace LabOrchestrator.Hosting;

/// <summary>Returned by AddLabOrchestrator; engines and stores hang off it.</summary>
public sealed class LabOrchestratorBuilder(IServiceCollection services)
{
    public IServiceCollection Services { get; } = services;

    /// <summary>
    /// Registers an engine as the keyed <see cref="ILabEngine"/> <paramref name="name"/>, listed by <see cref="ILabEngines"/>
    /// when <paramref name="isAvailable"/> (default: always) says it can run here.
    /// </summary>
    public LabOrchestratorBuilder AddEngine<TEngine>(string name, Func<IServiceProvider, bool>? isAvailable = null)
        where TEngine : class, ILabEngine
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        Services.AddKeyedSingleton<ILabEngine, TEngine>(name);
        Services.AddSingleton(new LabEngineRegistration(name, isAvailable ?? (_ => true)));
        return this;
    }

    /// <summary>As <see cref="AddEngine{TEngine}"/>, for an engine made by <paramref name="create"/>.</summary>
    public LabOrchestratorBuilder AddEngine(string name, Func<IServiceProvider, ILabEngine> create, Func<IServiceProvider, bool>? isAvailable = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(create);
        Services.AddKeyedSingleton(name, (provider, _) => create(provider));
        Services.AddSingleton(new LabEngineRegistration(name, isAvailable ?? (_ => true)));
        return this;
    }
}
