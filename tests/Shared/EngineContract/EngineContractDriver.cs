using LabOrchestrator.Compilation;
using LabOrchestrator.Engines;

namespace LabOrchestrator.Testing.EngineContract;

/// <summary>How the engine contract ends when asked for a port the node does not offer.</summary>
internal enum UnofferedPortOutcome
{
    /// <summary><see cref="ILabEngine.OpenPortStreamAsync"/> returns null.</summary>
    Null,

    /// <summary>The stream opens (the engine cannot know before the node answers); its first read throws <see cref="EngineException"/>.</summary>
    EngineExceptionOnRead,
}

/// <summary>
/// What differs between engines in the engine contract (<see cref="EngineContractTests"/>): making the engine, the image
/// its nodes run, what stands in for the parts of a cluster that do not run here, and how to see a terminal ended.
/// </summary>
internal abstract class EngineContractDriver : IAsyncDisposable
{
    public abstract ILabEngine Engine { get; }

    /// <summary>The image of the contract lab's nodes (with sh, sleep and busybox nc).</summary>
    public abstract string Image { get; }

    public abstract UnofferedPortOutcome UnofferedPort { get; }

    /// <summary>Skips the calling test when the engine cannot run here (never in CI).</summary>
    public virtual ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public virtual string NewSessionId() => "c" + Guid.NewGuid().ToString("N")[..10];

    /// <summary>
    /// Applies the plan as the engine does in production; where no kubelet runs, the driver also plays it (nodes Running,
    /// a node with <see cref="ContractLab.MissingImage"/> failing to pull its image).
    /// </summary>
    public virtual Task ApplyAsync(CompiledPlan plan, CancellationToken cancellationToken) => Engine.ApplyAsync(plan, null, cancellationToken);

    /// <summary>Returns once the node runs no terminal any more; fails the test when one still runs after a while.</summary>
    public abstract Task AssertTerminalEndedAsync(string sessionId, string node, CancellationToken cancellationToken);

    public virtual ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
