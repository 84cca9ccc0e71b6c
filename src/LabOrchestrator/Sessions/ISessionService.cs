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

    /// <summary>
    /// The owner of every session that takes a place against the quotas (neither Stopped nor Failed), one entry per
    /// session: what admission counts, read without loading whole sessions.
    /// </summary>
    Task<IReadOnlyList<string>> ListActiveOwnersAsync(CancellationToken cancellationToken = default);

    /// <summary>Runs a command in a node of a running session.</summary>
    Task<ExecResult> ExecAsync(string sessionId, string node, IReadOnlyList<string> command, TimeSpan timeout, CancellationToken cancellationToken = default);

    /// <summary>Opens an interactive terminal in a node of a running session.</summary>
    Task<ITerminalStream> OpenTerminalAsync(string sessionId, string node, TerminalOptions options, CancellationToken cancellationToken = default);

    /// <summary>A byte stream to the VNC server of a node of a running session (its desktop).</summary>
    Task<Stream> OpenDesktopAsync(string sessionId, string node, CancellationToken cancellationToken = default);

    /// <summary>Where this host reaches a port of a node of a running session; null when the node does not publish it.</summary>
    /// <summary>
    /// The lab as the session was started with it (the copy stored with the session), or null for an unknown session:
    /// what the gateway serves, whatever happened to the lab in the catalogue since (updated, re-imported, removed).
    /// </summary>
    Task<Labs.LabDefinition?> GetLabSnapshotAsync(string sessionId, CancellationToken cancellationToken = default);

    /// <summary>A connected stream to a running node's TCP port (see <see cref="Engines.ILabEngine.OpenPortStreamAsync"/>), or null when it offers no such port.</summary>
    Task<Stream?> OpenPortStreamAsync(string sessionId, string node, int port, CancellationToken cancellationToken = default);

    /// <summary>Freezes every node of a running session, keeping its memory; the session becomes Paused.</summary>
    Task<Session> PauseAsync(string sessionId, CancellationToken cancellationToken = default);

    /// <summary>Lets a paused session run again; its end moves on by the time it was paused.</summary>
    Task<Session> ResumeAsync(string sessionId, CancellationToken cancellationToken = default);

    /// <summary>Moves the end of a session by the lab's <c>limits.extendBy</c>, at most <c>limits.maxExtensions</c> times.</summary>
    Task<Session> ExtendAsync(string sessionId, CancellationToken cancellationToken = default);

    /// <summary><see cref="StopAsync(string, CancellationToken)"/>, recording why and by whom (the first stop's reason is kept).</summary>
    Task<Session> StopAsync(string sessionId, SessionStop stop, CancellationToken cancellationToken = default);

    /// <summary>Writes the latest learner activity of sessions (kept in memory between writes).</summary>
    Task RecordActivityAsync(IReadOnlyDictionary<string, DateTimeOffset> activity, CancellationToken cancellationToken = default);
    /// <summary>
    /// Puts one node (or, with <paramref name="node"/> null, every node) of a running session back to the lab's initial
    /// state, reporting each node's progress; guide progress is cleared when <paramref name="clearProgress"/> is set and
    /// kept otherwise. Per-learner storage is kept. A node that cannot be made again fails the session with a reason.
    /// </summary>
    Task<Session> ResetAsync(string sessionId, string? node, bool clearProgress, IProgress<NodeStatus>? progress = null, CancellationToken cancellationToken = default);
    /// <summary>
    /// Saves a running session to continue later (Podman: each node's files as an image; not its memory), with its lab file,
    /// credentials and guide progress. The session keeps running. Refused past LabOrchestrator:MaxSavedSessionsPerUser.
    /// </summary>
    Task<SavedSession> SaveAsync(string sessionId, CancellationToken cancellationToken = default);

    /// <summary>Saved sessions, of one user or (null) everyone's, oldest first.</summary>
    Task<IReadOnlyList<SavedSession>> ListSavedAsync(string? userId, CancellationToken cancellationToken = default);

    Task<SavedSession?> GetSavedAsync(string savedId, CancellationToken cancellationToken = default);

    /// <summary>Deletes a saved session and what the engine keeps of it; refused while a session continues from it.</summary>
    Task DeleteSavedAsync(string savedId, CancellationToken cancellationToken = default);

    /// <summary>Creates a Pending session that continues a saved one: its files, credentials and guide progress. Run it with <see cref="RunAsync"/>.</summary>
    Task<Session> CreateFromSavedAsync(string savedId, Users.UserRef user, CancellationToken cancellationToken = default);

    /// <summary>Per-learner storage volumes, of one user or (null) everyone's.</summary>
    Task<IReadOnlyList<StoredVolume>> ListStorageAsync(string? userId, CancellationToken cancellationToken = default);

    /// <summary>Deletes one storage volume (of <paramref name="userId"/>, or anyone's when null); refused while a session mounts it.</summary>
    Task DeleteStorageAsync(string name, string? userId, CancellationToken cancellationToken = default);
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
