using LabOrchestrator.Compilation;

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
    /// Where this host reaches a TCP port the node offers (a web port or its desktop), or null when the node does not
    /// publish that port. Engines keep these addresses private to the host (on Podman the node's own address on its
    /// bridge, which only the host routes to; loopback with rootless Podman).
    /// </summary>
    Task<System.Net.IPEndPoint?> GetPortEndpointAsync(string sessionId, string node, int port, CancellationToken cancellationToken);

    /// <summary>
    /// Freezes every node of the session, keeping its memory (Podman: pod pause, the cgroup freezer; a VM node's qemu
    /// is frozen with its pod). A paused node uses no CPU. Safe to call again.
    /// </summary>
    Task PauseAsync(string sessionId, CancellationToken cancellationToken);

    /// <summary>Lets every node of a paused session run again where it stopped. Safe to call again.</summary>
    Task ResumeAsync(string sessionId, CancellationToken cancellationToken);
}
