using System.Diagnostics;
using LabOrchestrator.Engines;

namespace LabOrchestrator.Podman.Tests.Vm;

/// <summary>
/// One running session of <see cref="VmLabs.VmAndContainer"/>, shared by the VM tests. Apply returns once the
/// launcher runs; the guest boots meanwhile, so tests wait for what they need (a prompt, the agent) with deadlines.
/// </summary>
public sealed class VmSessionFixture : IAsyncLifetime
{
    internal PodmanEngine Engine { get; } = TestEngine.Create();
    public string Session { get; } = TestEngine.NewSessionId();
    public Stopwatch SinceApply { get; } = new();

    public async ValueTask InitializeAsync()
    {
        SinceApply.Start();
        await Engine.ApplyAsync(TestLabs.Compile(VmLabs.VmAndContainer(), Session), null, TestEngine.Timeout());
    }

    public async ValueTask DisposeAsync()
    {
        await Engine.DeleteAsync(Session, TestEngine.Timeout());
        Engine.Dispose();
    }

    /// <summary>Runs a script in a node; in the VM it runs in the guest, waiting for it to boot within the timeout.</summary>
    public async Task<ExecResult> ShAsync(string node, string script, int timeoutSeconds = 240) =>
        await Engine.ExecAsync(Session, node, ["sh", "-c", script], TimeSpan.FromSeconds(timeoutSeconds), TestEngine.Timeout(timeoutSeconds + 30));
}
