namespace LabOrchestrator.Engines;

/// <summary>
/// Every engine of this process by name, and the one new sessions use. A session keeps the name of the engine that
/// started it (<c>Session.Engine</c>) and every later call about it goes to that engine, so sessions started before the
/// default changed still pause, reset and stop.
/// </summary>
public interface ILabEngines
{
    /// <summary>The engine new sessions start on (<c>Engine:Default</c>).</summary>
    ILabEngine Default { get; }

    /// <summary>Every engine configured here.</summary>
    IReadOnlyList<ILabEngine> All { get; }

    /// <summary>The engine of that name; an <see cref="EngineException"/> naming the configured ones when there is none.</summary>
    ILabEngine Get(string name);
}

/// <summary>Wraps each engine as <see cref="ILabEngines"/> builds its list (metrics, tracing).</summary>
public interface ILabEngineDecorator
{
    ILabEngine Decorate(ILabEngine engine);
}

/// <summary>
/// An engine registered by name (<see cref="Hosting.LabOrchestratorBuilder.AddEngine{TEngine}"/>): resolved as the keyed
/// <see cref="ILabEngine"/> of that name when <paramref name="IsAvailable"/> says it can run here.
/// </summary>
public sealed record LabEngineRegistration(string Name, Func<IServiceProvider, bool> IsAvailable);

/// <summary>The "Engine" configuration section.</summary>
public sealed record EngineOptions
{
    public const string SectionName = "Engine";

    /// <summary>The engine new sessions start on ("podman", "kubernetes"); null: the first engine registered.</summary>
    public string? Default { get; set; }
}
