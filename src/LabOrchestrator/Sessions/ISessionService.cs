using LabOrchestrator.Engines;
using LabOrchestrator.Users;

namespace LabOrchestrator.Sessions;

/// <summary>Starts, follows and stops sessions: running copies of labs that belong to one user each.</summary>
public interface ISessionService
{
    /// <summary>Creates a Pending session of a lab for a user, with its generated credentials. Nothing runs yet.</summary>
    Task<Session> CreateAsync(string labName, UserRef user, CancellationToken cancellationToken = default);

    /// <summary>Runs a Pending session: Starting, then Running, or Failed with a reason. Node progress is reported as it happens.</summary>
    Task<Session> RunAsync(string sessionId, IProgress<NodeStatus>? progress = null, CancellationToken cancellationToken = default);

    /// <summary><see cref="CreateAsync"/> then <see cref="RunAsync"/>.</summary>
    Task<Session> StartAsync(string labName, UserRef user, IProgress<NodeStatus>? progress = null, CancellationToken cancellationToken = default);

    /// <summary>Removes everything the session runs, whatever state it was left in, and marks it Stopped. Safe to call again.</summary>
    Task<Session> StopAsync(string sessionId, CancellationToken cancellationToken = default);

    Task<Session?> GetAsync(string sessionId, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<Session>> ListAsync(SessionQuery query, CancellationToken cancellationToken = default);

    /// <summary>Runs a command in a node of a running session.</summary>
    Task<ExecResult> ExecAsync(string sessionId, string node, IReadOnlyList<string> command, TimeSpan timeout, CancellationToken cancellationToken = default);

    /// <summary>Opens an interactive terminal in a node of a running session.</summary>
    Task<ITerminalStream> OpenTerminalAsync(string sessionId, string node, TerminalOptions options, CancellationToken cancellationToken = default);

    /// <summary>A byte stream to the VNC server of a node of a running session (its desktop).</summary>
    Task<Stream> OpenDesktopAsync(string sessionId, string node, CancellationToken cancellationToken = default);

    /// <summary>Where this host reaches a port of a node of a running session; null when the node does not publish it.</summary>
    Task<System.Net.IPEndPoint?> GetPortEndpointAsync(string sessionId, string node, int port, CancellationToken cancellationToken = default);

    /// <summary>Creates a Pending session of a lab for its warm pool, owned by <see cref="Pools.PoolOwner"/>; run it with <see cref="RunAsync"/>.</summary>
    Task<Session> CreatePooledAsync(string labName, CancellationToken cancellationToken = default);

    /// <summary>
    /// Takes a Running pooled session of the lab (started from its current file) and binds it to the user with freshly
    /// generated passwords, set inside its nodes; its time limit counts from now. Null when none is ready (or setting
    /// the passwords failed; that session is then stopped). Two callers never get the same session.
    /// </summary>
    Task<Session?> ClaimPooledAsync(string labName, UserRef user, CancellationToken cancellationToken = default);

    /// <summary>Pooled sessions whose lab was changed or deleted since they started: they can never be claimed.</summary>
    Task<IReadOnlyList<string>> ListOutdatedPooledAsync(CancellationToken cancellationToken = default);
}
