using System.Diagnostics;
using System.Reflection;

namespace LabOrchestrator.Podman.Tests;

/// <summary>Applies a session in a child process, so a test can kill an apply halfway like a crashed server would.</summary>
internal static class ApplyProbe
{
    public const string Verb = "apply-probe";

    public static async Task<int> RunAsync(string[] args)
    {
        var sessionId = args[0];
        using var engine = TestEngine.Create();
        await engine.ApplyAsync(TestLabs.Compile(TestLabs.Wide(), sessionId), null, CancellationToken.None);
        return 0;
    }

    public static Process Start(string sessionId)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add("exec");
        start.ArgumentList.Add(Assembly.GetExecutingAssembly().Location);
        start.ArgumentList.Add(Verb);
        start.ArgumentList.Add(sessionId);
        return Process.Start(start)!;
    }
}
