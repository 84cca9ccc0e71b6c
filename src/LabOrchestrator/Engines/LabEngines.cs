using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace LabOrchestrator.Engines;

/// <summary>
/// Builds the engine list once, on first use: the keyed engines registered by name that are available here, each wrapped
/// by the registered decorators. Engines registered directly as <see cref="ILabEngine"/> (tests, embedders) replace the
/// named ones, the last of them being the default unless <c>Engine:Default</c> names another.
/// </summary>
internal sealed class LabEngines(IServiceProvider services, IEnumerable<LabEngineRegistration> registrations, IEnumerable<ILabEngineDecorator> decorators, IOptions<EngineOptions> options)
    : ILabEngines
{
    private readonly Lazy<(IReadOnlyList<ILabEngine> All, ILabEngine Default)> built = new(() => Build(services, registrations.ToList(), decorators.ToList(), options.Value));

    public ILabEngine Default => built.Value.Default;

    public IReadOnlyList<ILabEngine> All => built.Value.All;

    public ILabEngine Get(string name) =>
        All.FirstOrDefault(e => string.Equals(e.Name, name, StringComparison.Ordinal))
        ?? throw new EngineException(
            $"No engine '{name}' is configured on this server (configured: {string.Join(", ", All.Select(e => e.Name))}). Sessions started on '{name}' can be stopped once it is configured again.");

    private static (IReadOnlyList<ILabEngine>, ILabEngine) Build(
        IServiceProvider services, List<LabEngineRegistration> registrations, List<ILabEngineDecorator> decorators, EngineOptions options)
    {
        var direct = services.GetServices<ILabEngine>().ToList();
        var engines = direct.Count > 0
            ? direct
            : registrations
                .Where(r => r.IsAvailable(services))
                .Select(r => services.GetRequiredKeyedService<ILabEngine>(r.Name))
                .ToList();
        if (engines.Count == 0)
        {
            throw new InvalidOperationException(
                registrations.Count == 0
                    ? "No engine is registered: add one (AddPodmanEngine, AddKubernetesEngine)."
                    : $"No engine can run here: {string.Join(", ", registrations.Select(r => r.Name))} are registered but not configured (run labctl doctor).");
        }

        var all = engines.GroupBy(e => e.Name, StringComparer.Ordinal).Select(g => g.Last()).Select(e => decorators.Aggregate(e, (inner, d) => d.Decorate(inner))).ToList();
        var defaultName = options.Default ?? (direct.Count > 0 ? direct[^1].Name : all[0].Name);
        var chosen = all.FirstOrDefault(e => string.Equals(e.Name, defaultName, StringComparison.Ordinal))
            ?? throw new InvalidOperationException(
                $"Engine:Default is '{defaultName}', but the engines configured here are: {string.Join(", ", all.Select(e => e.Name))}. Set Engine:Default to one of them (or configure '{defaultName}': run labctl doctor).");
        return (all, chosen);
    }
}
