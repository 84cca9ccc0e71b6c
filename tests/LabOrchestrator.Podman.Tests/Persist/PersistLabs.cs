using LabOrchestrator.Compilation;
using LabOrchestrator.Labs;

namespace LabOrchestrator.Podman.Tests.Persist;

/// <summary>Labs and helpers of the reset, storage and save tests.</summary>
internal static class PersistLabs
{
    public const string Folder = "/home/learner/work";

    /// <summary>Two idle nodes on one network; the first keeps <see cref="Folder"/> per learner when asked.</summary>
    public static LabDefinition Pair(bool storage = false) => new()
    {
        Name = "persist-pair",
        Networks = [new NetworkDefinition("lan")],
        Nodes =
        [
            TestLabs.Idler("alpha", "lan") with { Storage = storage ? [new StorageDefinition(Folder)] : [] },
            TestLabs.Idler("beta", "lan"),
        ],
    };

    public static CompiledPlan Compile(LabDefinition lab, string sessionId, string user) =>
        LabCompiler.Compile(lab, new SessionContext(sessionId, user, []));

    public static async Task<string> ShAsync(PodmanEngine engine, string session, string node, string script)
    {
        var result = await engine.ExecAsync(session, node, ["sh", "-c", script], TimeSpan.FromSeconds(30), TestEngine.Timeout());
        Assert.True(result.ExitCode == 0, $"'{script}' in {node} exited {result.ExitCode}: {result.StandardError}");
        return result.StandardOutput.Trim();
    }

    public static async Task<int> ExitCodeAsync(PodmanEngine engine, string session, string node, string script) =>
        (await engine.ExecAsync(session, node, ["sh", "-c", script], TimeSpan.FromSeconds(30), TestEngine.Timeout())).ExitCode;
}
