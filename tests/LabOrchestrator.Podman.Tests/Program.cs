using Xunit.MicrosoftTestingPlatform;
using Xunit.Runner.InProc.SystemConsole;

namespace LabOrchestrator.Podman.Tests;

/// <summary>xunit's generated entry point, plus <c>apply-probe</c>: the test assembly doubling as a child process to kill.</summary>
internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        if (args.Length > 0 && args[0] == ApplyProbe.Verb)
        {
            return await ApplyProbe.RunAsync(args[1..]);
        }

        if (args.Any(arg => arg is "--server" or "--internal-msbuild-node"))
        {
            return await TestPlatformTestFramework.RunAsync(args, SelfRegisteredExtensions.AddSelfRegisteredExtensions);
        }

        return await ConsoleRunner.Run(args);
    }
}
