using System.Diagnostics;
using LabOrchestrator.Compilation;
using LabOrchestrator.Engines;

namespace LabOrchestrator.Podman.Tests;

/// <summary>Two running sessions of the two-hosts lab, shared by the tests that only look at them.</summary>
public sealed class TwoSessionsFixture : IAsyncLifetime
{
    internal PodmanEngine Engine { get; } = TestEngine.Create();
    public string First { get; } = TestEngine.NewSessionId();
    public string Second { get; } = TestEngine.NewSessionId();
    internal CompiledPlan FirstPlan { get; private set; } = null!;
    public List<NodeStatus> Progress { get; } = [];
    public TimeSpan FirstApplyTime { get; private set; }

    public async ValueTask InitializeAsync()
    {
        FirstPlan = TestLabs.Compile(TestLabs.TwoHosts(), First, new ResolvedCredential("server", "admin", "admin", "s3cret-pass"));
        var watch = Stopwatch.StartNew();
        await Engine.ApplyAsync(FirstPlan, new SynchronousProgress(Progress), TestEngine.Timeout());
        FirstApplyTime = watch.Elapsed;
        await Engine.ApplyAsync(TestLabs.Compile(TestLabs.TwoHosts(), Second), null, TestEngine.Timeout());
    }

    public async ValueTask DisposeAsync()
    {
        await Engine.DeleteAsync(First, TestEngine.Timeout());
        await Engine.DeleteAsync(Second, TestEngine.Timeout());
        Engine.Dispose();
    }

    public async Task<ExecResult> ShAsync(string session, string node, string script, int timeoutSeconds = 20) =>
        await Engine.ExecAsync(session, node, ["sh", "-c", script], TimeSpan.FromSeconds(timeoutSeconds), TestEngine.Timeout());

    /// <summary>The node's address on its first network, as the node itself sees it.</summary>
    public async Task<string> AddressAsync(string session, string node) =>
        (await ShAsync(session, node, "ip -4 -o addr show eth0 | awk '{print $4}' | cut -d/ -f1")).StandardOutput.Trim();
}
