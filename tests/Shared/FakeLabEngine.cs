using System.Collections.Concurrent;
using System.IO.Pipelines;
using System.Text;
using LabOrchestrator.Compilation;
using LabOrchestrator.Engines;

namespace LabOrchestrator.Testing;

/// <summary>
/// An in-memory, deterministic <see cref="ILabEngine"/> for tests that need sessions but not Podman: applying a plan
/// makes its nodes Running at once (or when <see cref="HoldApplies"/> is released), exec runs <see cref="ExecHandler"/>,
/// terminals echo what is typed. Every object it "creates" carries the plan's labels, so leak checks work as on a real
/// engine. Linked into every test project.
/// </summary>
internal sealed class FakeLabEngine : ILabEngine
{
    private readonly ConcurrentDictionary<string, FakeSession> sessions = new(StringComparer.Ordinal);
    private readonly ConcurrentBag<FakeTerminal> terminals = [];
    private readonly ConcurrentDictionary<(string Kind, string Name), EngineResource> extras = new();
    private readonly ConcurrentDictionary<string, EngineResource> persistent = new(StringComparer.Ordinal);
    private TaskCompletionSource? hold;

    public string Name { get; init; } = "fake";

    /// <summary>What <see cref="ExecAsync"/> returns; by default exit code 0 and no output.</summary>
    public Func<string, string, IReadOnlyList<string>, ExecResult> ExecHandler { get; set; } = (_, _, _) => new ExecResult(0, "", "");

    /// <summary>
    /// How long a command runs; a command running longer than its timeout returns <see cref="ExecResult.TimedOut"/> (exit code
    /// 124, as <c>timeout</c> gives) at once, without waiting. By default every command ends at once.
    /// </summary>
    public Func<string, string, IReadOnlyList<string>, TimeSpan> ExecDuration { get; set; } = (_, _, _) => TimeSpan.Zero;

    /// <summary>Whether a node's image can be had; applying a node whose image cannot fails it, as a real engine does. By default every image can.</summary>
    public Func<string, bool> ImageExists { get; set; } = _ => true;

    /// <summary>Where a node's web port is published (a test's own listener); by default nowhere.</summary>
    public Func<string, string, int, System.Net.IPEndPoint?> PortEndpoint { get; set; } = (_, _, _) => null;

    /// <summary>What <see cref="PauseRefusal"/> answers; by default every lab can be paused.</summary>
    public Func<Labs.LabDefinition, string?> PauseRefusedFor { get; set; } = _ => null;

    /// <summary>When set, <see cref="ApplyAsync"/> throws it after reporting every node Creating.</summary>
    public EngineException? ApplyFailure { get; set; }

    /// <summary>Every command run, in order: session, node, command.</summary>
    public ConcurrentQueue<(string Session, string Node, IReadOnlyList<string> Command)> Commands { get; } = new();

    /// <summary>How many times each session was applied.</summary>
    public ConcurrentDictionary<string, int> Applies { get; } = new(StringComparer.Ordinal);

    /// <summary>Every node reset, in order: session, node.</summary>
    public ConcurrentQueue<(string Session, string Node)> Resets { get; } = new();

    /// <summary>What <see cref="SaveAsync"/> saved and per-learner storage volumes: objects that outlive sessions.</summary>
    public IReadOnlyCollection<EngineResource> Persistent => persistent.Values.ToList();

    /// <summary>When set, <see cref="ResetNodeAsync"/> throws it after reporting the node Creating.</summary>
    public EngineException? ResetFailure { get; set; }

    /// <summary>Terminals opened so far (open or closed).</summary>
    public IReadOnlyCollection<FakeTerminal> Terminals => terminals;

    /// <summary>Makes every apply wait (after reporting Creating) until <see cref="ReleaseApplies"/>.</summary>
    public void HoldApplies() => hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

    public void ReleaseApplies() => Interlocked.Exchange(ref hold, null)?.TrySetResult();

    /// <summary>Whether anything labelled with the session exists.</summary>
    public bool Holds(string sessionId) => sessions.ContainsKey(sessionId);

    /// <summary>The plan a session was last applied with; null when the engine holds nothing of it.</summary>
    public CompiledPlan? PlanOf(string sessionId) => sessions.TryGetValue(sessionId, out var session) ? session.Plan : null;

    /// <summary>Makes a node report <paramref name="state"/>, as if it crashed or vanished.</summary>
    public void SetNodeState(string sessionId, string node, NodeState state, string? message = null) =>
        sessions[sessionId].Nodes[node] = new NodeStatus(node, state, message);

    /// <summary>Adds an object of its own (an orphan, a persistent volume): listed by label, removed by <see cref="DeleteAsync"/> of its session unless persistent.</summary>
    public void AddObject(EngineResource resource) => extras[(resource.Kind, resource.Name)] = resource;

    /// <summary>Every object the engine holds: each node of each applied session as a pod, and the added ones.</summary>
    public IReadOnlyList<EngineResource> Objects =>
        sessions.Values.SelectMany(s => s.Plan.Nodes.Where(n => !s.Removed.ContainsKey(n.Name)).Select(n => new EngineResource("pod", $"{s.Plan.SessionId}-{n.Name}", Labels(s.Plan, n.Name))))
            .Concat(extras.Values).ToList();

    /// <summary>Removes one node's pod behind the orchestrator's back.</summary>
    public void VanishNode(string sessionId, string node) => sessions[sessionId].Removed[node] = true;

    /// <summary>How many times <see cref="DeleteAsync"/> ran per session.</summary>
    public ConcurrentDictionary<string, int> Deletes { get; } = new(StringComparer.Ordinal);

    /// <summary>Forgets a session's objects behind the orchestrator's back, as if someone removed them by hand.</summary>
    public void Vanish(string sessionId) => sessions.TryRemove(sessionId, out _);

    public async Task ApplyAsync(CompiledPlan plan, IProgress<NodeStatus>? progress, CancellationToken cancellationToken)
    {
        Applies.AddOrUpdate(plan.SessionId, 1, (_, n) => n + 1);
        var session = sessions.GetOrAdd(plan.SessionId, _ => new FakeSession(plan));
        foreach (var storage in plan.Nodes.SelectMany(n => n.Storage))
        {
            persistent.TryAdd(storage.ClaimName, new EngineResource("volume", storage.ClaimName, new Dictionary<string, string>(storage.Labels) { [LabLabels.StoragePath] = storage.Path }));
        }

        foreach (var node in plan.Nodes.Where(n => !session.Nodes.TryGetValue(n.Name, out var s) || s.State != NodeState.Running))
        {
            session.Nodes[node.Name] = new NodeStatus(node.Name, NodeState.Creating);
            progress?.Report(session.Nodes[node.Name]);
        }

        if (hold is { } wait)
        {
            await wait.Task.WaitAsync(cancellationToken);
        }

        if (ApplyFailure is { } failure)
        {
            throw failure;
        }

        if (plan.Nodes.FirstOrDefault(n => !ImageExists(n.Pod.Spec.Containers[0].Image)) is { } missing)
        {
            var image = missing.Pod.Spec.Containers[0].Image;
            session.Nodes[missing.Name] = new NodeStatus(missing.Name, NodeState.Failed, $"The image {image} cannot be pulled.");
            progress?.Report(session.Nodes[missing.Name]);
            throw new EngineException($"Node '{missing.Name}' cannot start: image {image} cannot be pulled.");
        }

        foreach (var node in plan.Nodes)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (session.Nodes[node.Name].State != NodeState.Running)
            {
                session.Nodes[node.Name] = new NodeStatus(node.Name, NodeState.Running);
                progress?.Report(session.Nodes[node.Name]);
            }
        }
    }

    public Task DeleteAsync(string sessionId, CancellationToken cancellationToken)
    {
        sessions.TryRemove(sessionId, out _);
        Deletes.AddOrUpdate(sessionId, 1, (_, n) => n + 1);
        foreach (var extra in extras.Values.Where(e => e.Labels.GetValueOrDefault(LabLabels.Session) == sessionId && !e.Labels.ContainsKey(LabLabels.Persistent)))
        {
            extras.TryRemove((extra.Kind, extra.Name), out _);
        }

        foreach (var terminal in terminals.Where(t => t.SessionId == sessionId))
        {
            terminal.Close();
        }

        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<NodeStatus>> GetStatusAsync(string sessionId, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<NodeStatus>>(sessions.TryGetValue(sessionId, out var session)
            ? session.Plan.Nodes.Select(n => session.Nodes[n.Name]).ToList()
            : []);

    /// <summary>Runs as a listing starts, before it reads anything (what another process did just before the list).</summary>
    public Func<Task>? BeforeList { get; set; }

    /// <summary>Runs once a listing has been read, before it is returned (what another process did just after the list).</summary>
    public Func<Task>? AfterList { get; set; }

    public async Task<IReadOnlyList<EngineResource>> ListAsync(IReadOnlyDictionary<string, string> labelSelector, CancellationToken cancellationToken)
    {
        if (BeforeList is { } before)
        {
            await before();
        }

        var found = sessions.Values
            .SelectMany(s => s.Plan.Nodes.Where(n => !s.Removed.ContainsKey(n.Name)).Select(n => new EngineResource("pod", $"{s.Plan.SessionId}-{n.Name}", Labels(s.Plan, n.Name))))
            .Concat(extras.Values)
            .Concat(persistent.Values.Where(r => r.Kind == "volume"))
            .Where(r => labelSelector.All(l => r.Labels.TryGetValue(l.Key, out var v) && v == l.Value))
            .ToList();
        if (AfterList is { } after)
        {
            await after();
        }

        return found;
    }

    public Task<ExecResult> ExecAsync(string sessionId, string node, IReadOnlyList<string> command, TimeSpan timeout, CancellationToken cancellationToken)
    {
        EnsureRunning(sessionId, node);
        Commands.Enqueue((sessionId, node, command));
        return Task.FromResult(ExecDuration(sessionId, node, command) > timeout
            ? new ExecResult(124, "", "", TimedOut: true)
            : ExecHandler(sessionId, node, command));
    }

    public Task<ITerminalStream> OpenTerminalAsync(string sessionId, string node, TerminalOptions options, CancellationToken cancellationToken)
    {
        EnsureRunning(sessionId, node);
        var terminal = new FakeTerminal(sessionId, node, options);
        terminals.Add(terminal);
        return Task.FromResult<ITerminalStream>(terminal);
    }

    public Task<Stream> OpenDesktopAsync(string sessionId, string node, CancellationToken cancellationToken)
    {
        EnsureRunning(sessionId, node);
        if (!sessions[sessionId].Plan.GetNode(node).Access.Desktop)
        {
            throw new EngineException($"Node '{node}' has no desktop.");
        }

        // An RFB server's first words; enough for a client to see a desktop answered.
        return Task.FromResult<Stream>(new MemoryStream(Encoding.ASCII.GetBytes("RFB 003.008\n")));
    }

    /// <summary>A socket to where <see cref="PortEndpoint"/> says the port is (a test's own listener), or null.</summary>
    public async Task<Stream?> OpenPortStreamAsync(string sessionId, string node, int port, CancellationToken cancellationToken)
    {
        if (PortEndpoint(sessionId, node, port) is not { } endpoint)
        {
            return null;
        }

        var client = new System.Net.Sockets.TcpClient();
        await client.ConnectAsync(endpoint, cancellationToken);
        return client.GetStream();
    }

    /// <summary>Sessions whose nodes are paused (frozen).</summary>
    public bool IsPaused(string sessionId) => sessions.TryGetValue(sessionId, out var session) && session.Paused;

    public string? PauseRefusal(Labs.LabDefinition lab) => PauseRefusedFor(lab);

    public Task PauseAsync(string sessionId, CancellationToken cancellationToken)
    {
        if (!sessions.TryGetValue(sessionId, out var session))
        {
            throw new EngineException($"Session '{sessionId}' has nothing to pause.");
        }

        session.Paused = true;
        return Task.CompletedTask;
    }

    public Task ResumeAsync(string sessionId, CancellationToken cancellationToken)
    {
        if (!sessions.TryGetValue(sessionId, out var session))
        {
            throw new EngineException($"Session '{sessionId}' has nothing to resume.");
        }

        session.Paused = false;
        return Task.CompletedTask;
    }

    public async Task ResetNodeAsync(CompiledPlan plan, string node, IProgress<NodeStatus>? progress, CancellationToken cancellationToken)
    {
        plan.GetNode(node);
        Resets.Enqueue((plan.SessionId, node));
        var session = sessions.GetOrAdd(plan.SessionId, _ => new FakeSession(plan));
        session.Nodes[node] = new NodeStatus(node, NodeState.Creating);
        progress?.Report(session.Nodes[node]);
        foreach (var terminal in terminals.Where(t => t.SessionId == plan.SessionId && t.Node == node))
        {
            terminal.Close();
        }

        // Like a real engine, the node's pod is gone until it is made again.
        session.Removed[node] = true;
        if (hold is { } wait)
        {
            await wait.Task.WaitAsync(cancellationToken);
        }

        if (ResetFailure is { } failure)
        {
            session.Nodes[node] = new NodeStatus(node, NodeState.Failed, failure.Message);
            throw failure;
        }

        session.Removed.TryRemove(node, out _);
        session.Nodes[node] = new NodeStatus(node, NodeState.Starting);
        progress?.Report(session.Nodes[node]);
        session.Nodes[node] = new NodeStatus(node, NodeState.Running);
        progress?.Report(session.Nodes[node]);
    }

    public Task<IReadOnlyDictionary<string, string>> SaveAsync(string sessionId, IReadOnlyDictionary<string, string> labels, CancellationToken cancellationToken)
    {
        if (!sessions.TryGetValue(sessionId, out var session))
        {
            throw new EngineException($"Session '{sessionId}' runs no nodes to save.");
        }

        var images = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var node in session.Plan.Nodes)
        {
            var image = $"localhost/lab-saved:{labels[LabLabels.Saved]}-{node.Name}";
            persistent[image] = new EngineResource("image", image, new Dictionary<string, string>(labels) { [LabLabels.Node] = node.Name });
            images[node.Name] = image;
        }

        return Task.FromResult<IReadOnlyDictionary<string, string>>(images);
    }

    public Task<bool?> ImageExistsAsync(string image, CancellationToken cancellationToken) => Task.FromResult<bool?>(ImageExists(image));

    public Task DeletePersistentAsync(IReadOnlyDictionary<string, string> labelSelector, CancellationToken cancellationToken)
    {
        var matching = persistent.Values
            .Where(r => r.Labels.ContainsKey(LabLabels.Persistent) && labelSelector.All(l => r.Labels.TryGetValue(l.Key, out var v) && v == l.Value))
            .ToList();
        var used = sessions.Values.SelectMany(s => s.Plan.Nodes.SelectMany(n => n.Storage.Select(x => x.ClaimName).Append(n.Pod.Spec.Containers[0].Image))).ToHashSet();
        var inUse = matching.Where(r => used.Contains(r.Name)).ToList();
        foreach (var resource in matching.Except(inUse))
        {
            persistent.TryRemove(resource.Name, out _);
        }

        return inUse.Count == 0
            ? Task.CompletedTask
            : throw new EngineException($"Still in use by a running session: {string.Join(", ", inUse.Select(r => r.Name))}. Stop that session first.");
    }

    private void EnsureRunning(string sessionId, string node)
    {
        if (!sessions.TryGetValue(sessionId, out var session) || !session.Nodes.TryGetValue(node, out var status) || status.State != NodeState.Running)
        {
            throw new EngineException($"Node '{node}' of session '{sessionId}' is not running.");
        }
    }

    private static Dictionary<string, string> Labels(CompiledPlan plan, string node) =>
        new(plan.Labels) { [LabLabels.Node] = node };

    private sealed class FakeSession(CompiledPlan plan)
    {
        public CompiledPlan Plan { get; } = plan;
        public ConcurrentDictionary<string, NodeStatus> Nodes { get; } = new(StringComparer.Ordinal);
        public bool Paused { get; set; }
        public ConcurrentDictionary<string, bool> Removed { get; } = new(StringComparer.Ordinal);
    }

    /// <summary>A terminal that echoes its input to its output until closed (by the client or by the engine).</summary>
    internal sealed class FakeTerminal : ITerminalStream
    {
        private readonly Pipe pipe = new();
        private int closed;

        public FakeTerminal(string sessionId, string node, TerminalOptions options)
        {
            SessionId = sessionId;
            Node = node;
            Size = (options.Columns, options.Rows);
            Input = pipe.Writer.AsStream();
            Output = pipe.Reader.AsStream();
        }

        public string SessionId { get; }
        public string Node { get; }
        public (ushort Columns, ushort Rows) Size { get; private set; }
        public bool IsClosed => Volatile.Read(ref closed) == 1;
        public Stream Input { get; }
        public Stream Output { get; }

        public Task ResizeAsync(ushort columns, ushort rows, CancellationToken cancellationToken)
        {
            Size = (columns, rows);
            return Task.CompletedTask;
        }

        public void Close()
        {
            if (Interlocked.Exchange(ref closed, 1) == 0)
            {
                pipe.Writer.Complete();
            }
        }

        public ValueTask DisposeAsync()
        {
            Close();
            return ValueTask.CompletedTask;
        }
    }
}
