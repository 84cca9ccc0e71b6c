using LabOrchestrator.Compilation;
using LabOrchestrator.Labs;

namespace LabOrchestrator.Engines;

/// <summary>
/// Runs compiled plans. Every object an engine creates carries the session's labels
/// (<see cref="LabLabels"/>), so <see cref="DeleteAsync"/> and a reconciler can always find it.
/// </summary>
public interface ILabEngine
{
    /// <summary>Short name used in configuration and stored with each session ("podman", "kubernetes").</summary>
    string Name { get; }

    /// <summary>Creates what the plan describes and waits until every node runs. Safe to call again.</summary>
    Task ApplyAsync(CompiledPlan plan, IProgress<NodeStatus>? progress, CancellationToken cancellationToken);

    /// <summary>Removes everything labelled with the session, including leftovers of an interrupted apply. Safe to call again.</summary>
    Task DeleteAsync(string sessionId, CancellationToken cancellationToken);

    Task<IReadOnlyList<NodeStatus>> GetStatusAsync(string sessionId, CancellationToken cancellationToken);

    /// <summary>Every engine object whose labels match all of <paramref name="labelSelector"/>.</summary>
    Task<IReadOnlyList<EngineResource>> ListAsync(IReadOnlyDictionary<string, string> labelSelector, CancellationToken cancellationToken);

    Task<ExecResult> ExecAsync(string sessionId, string node, IReadOnlyList<string> command, TimeSpan timeout, CancellationToken cancellationToken);

    /// <summary>Opens an interactive shell with a terminal in the node.</summary>
    Task<ITerminalStream> OpenTerminalAsync(string sessionId, string node, TerminalOptions options, CancellationToken cancellationToken);

    /// <summary>
    /// A byte stream to the node's VNC server (RFB, display :0) for its desktop; only the engine reaches it, never the
    /// network. Disposing the stream ends the connection.
    /// </summary>
    Task<Stream> OpenDesktopAsync(string sessionId, string node, CancellationToken cancellationToken);

    /// <summary>
    /// A connected byte stream to a TCP port the node offers (a web port), or null when the node does not offer that port.
    /// How it is reached is the engine's own business and never visible to learners: on Podman a socket to the node's
    /// address on its bridge, which only the host routes to (loopback with rootless Podman); on Kubernetes a port-forward
    /// through the API server. Disposing the stream closes the connection.
    /// </summary>
    Task<Stream?> OpenPortStreamAsync(string sessionId, string node, int port, CancellationToken cancellationToken);

    /// <summary>
    /// Freezes every node of the session, keeping its memory (Podman: pod pause, the cgroup freezer; a VM node's qemu
    /// is frozen with its pod). A paused node uses no CPU. Safe to call again.
    /// </summary>
    Task PauseAsync(string sessionId, CancellationToken cancellationToken);

    /// <summary>
    /// Why this engine cannot pause sessions of <paramref name="lab"/>, in a sentence for learners; null when it can. Asked
    /// before <see cref="PauseAsync"/>, so a refusal is an answer (Podman: never; Kubernetes: a lab with container nodes,
    /// since only KubeVirt's VMs can be frozen with their memory), not an engine failure.
    /// </summary>
    string? PauseRefusal(LabDefinition lab);

    /// <summary>Lets every node of a paused session run again where it stopped. Safe to call again.</summary>
    Task ResumeAsync(string sessionId, CancellationToken cancellationToken);
    /// <summary>
    /// Puts one node back to its initial state: removes that node's objects (its pod; a VM node's launcher pod) and applies
    /// them again from <paramref name="plan"/>, reporting the node's progress. Other nodes, the session's networks and
    /// per-learner storage are left as they are.
    /// </summary>
    Task ResetNodeAsync(CompiledPlan plan, string node, IProgress<NodeStatus>? progress, CancellationToken cancellationToken);

    /// <summary>
    /// Saves every node of a running session as an engine object of its own (Podman: an image per node) that carries
    /// <paramref name="labels"/> and outlives the session. Returns node → what <see cref="CompiledPlan"/> nodes run instead of
    /// their image to continue from it.
    /// </summary>
    Task<IReadOnlyDictionary<string, string>> SaveAsync(string sessionId, IReadOnlyDictionary<string, string> labels, CancellationToken cancellationToken);

    /// <summary>
    /// Removes persistent objects (per-learner storage, saved sessions: those labelled <see cref="LabLabels.Persistent"/>) whose
    /// labels match all of <paramref name="labelSelector"/>. Objects still in use by a running session are refused with an
    /// <see cref="EngineException"/>. Safe to call again.
    /// </summary>
    Task DeletePersistentAsync(IReadOnlyDictionary<string, string> labelSelector, CancellationToken cancellationToken);

    /// <summary>
    /// Whether <paramref name="image"/> is present where this engine runs nodes, so that importing or publishing a lab can
    /// warn before a learner's start fails: true or false when the engine can tell, null when it cannot (Kubernetes: each
    /// cluster node pulls for itself).
    /// </summary>
    Task<bool?> ImageExistsAsync(string image, CancellationToken cancellationToken);
}
