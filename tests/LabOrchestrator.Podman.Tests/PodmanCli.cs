using System.Diagnostics;

namespace LabOrchestrator.Podman.Tests;

/// <summary>The podman command line, as a check independent of the engine's API calls.</summary>
internal static class PodmanCli
{
    public static async Task<string> RunAsync(params string[] args)
    {
        var start = new ProcessStartInfo("podman") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync(TestEngine.Timeout(60));
        Assert.True(process.ExitCode == 0, $"podman {string.Join(' ', args)} failed: {await error}");
        return await output;
    }

    /// <summary>Names of pods, containers, networks and volumes carrying the label, one per line.</summary>
    public static async Task<IReadOnlyList<string>> LabelledAsync(string label)
    {
        var filter = $"label={label}";
        var lines = new List<string>();
        lines.AddRange(Lines(await RunAsync("pod", "ps", "--filter", filter, "--format", "pod {{.Name}}")));
        lines.AddRange(Lines(await RunAsync("ps", "-a", "--filter", filter, "--format", "container {{.Names}}")));
        lines.AddRange(Lines(await RunAsync("network", "ls", "--filter", filter, "--format", "network {{.Name}}")));
        lines.AddRange(Lines(await RunAsync("volume", "ls", "--filter", filter, "--format", "volume {{.Name}}")));
        return lines;
    }

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
